import { afterEach, beforeEach, expect, it } from 'vitest'
import { click, postbackGet, setUp } from '../conversions/postback-helpers.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { as, invite, login } from './people.ts'

describeEachEngine('an advertiser user', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine)
  })
  afterEach(() => t.close())

  it('sees its own postback log and conversions with revenue, no affiliate or payout', async () => {
    const { advertiser, offer, affiliate, token } = await setUp(t)
    const other = await setUp(t)
    const accepted = await postbackGet(t, {
      click_id: await click(t, offer.id, affiliate.id),
      status: 'pending',
      token,
    })
    expect(accepted.status).toBe(200)
    await postbackGet(t, {
      click_id: await click(t, other.offer.id, other.affiliate.id),
      token: other.token,
    })

    await invite(t, { email: 'adv@example.com', role: 'advertiser', advertiser_id: advertiser.id })
    const adv = await login(t, 'adv@example.com')

    const log = await t.request('GET', '/api/v1/postback-log', as(adv))
    expect(log.status).toBe(200)
    expect(log.body.data).toHaveLength(1)
    expect(log.body.data[0].advertiser_id).toBe(advertiser.id)
    const asked = await t.request(
      'GET',
      `/api/v1/postback-log?advertiser_id=${other.advertiser.id}`,
      as(adv),
    )
    expect(asked.body.data.map((l: { advertiser_id: string }) => l.advertiser_id)).toEqual([
      advertiser.id,
    ])

    const conversions = await t.request('GET', '/api/v1/conversions', as(adv))
    expect(conversions.body.data).toHaveLength(1)
    const [conversion] = conversions.body.data
    expect(conversion.id).toBe(accepted.body.conversion_id)
    expect(conversion.revenue).toBe(2.5)
    expect(conversion).not.toHaveProperty('payout')
    expect(conversion).not.toHaveProperty('affiliate_id')
    expect(JSON.stringify(conversions.body)).not.toContain('Traffic Co')
    const single = await t.request('GET', `/api/v1/conversions/${conversion.id}`, as(adv))
    expect(single.body).not.toHaveProperty('payout')

    const offers = await t.request('GET', '/api/v1/offers', as(adv))
    expect(offers.body.data.map((o: { id: string }) => o.id)).toEqual([offer.id])
    expect(offers.body.data[0].revenue).toBe(2.5)
    expect(offers.body.data[0]).not.toHaveProperty('payout')
    expect((await t.request('GET', `/api/v1/offers/${other.offer.id}`, as(adv))).status).toBe(404)
    expect((await t.request('GET', '/api/v1/reports', as(adv))).status).toBe(200)
    expect((await t.request('GET', '/api/v1/affiliates', as(adv))).status).toBe(403)
  })

  it("leaves a person's status change in the audit log", async () => {
    const { offer, affiliate, token } = await setUp(t)
    const res = await postbackGet(t, {
      click_id: await click(t, offer.id, affiliate.id),
      status: 'pending',
      token,
    })
    await invite(t, { email: 'mgr@example.com', name: 'Mgr', role: 'manager' })
    const manager = await login(t, 'mgr@example.com')
    const path = `/api/v1/conversions/${res.body.conversion_id}`
    const approved = await t.request('PATCH', path, {
      ...as(manager),
      body: { status: 'approved', reason: 'checked' },
    })
    expect(approved.status).toBe(200)
    const log = await t.request(
      'GET',
      `/api/v1/audit-log?entity=conversion&entity_id=${res.body.conversion_id}`,
      as(manager),
    )
    expect(log.body.data).toHaveLength(1)
    expect(log.body.data[0]).toMatchObject({
      actor: { type: 'user', name: 'Mgr' },
      changes: {
        status: { from: 'pending', to: 'approved' },
        reason: { from: null, to: 'checked' },
      },
    })
  })
})
