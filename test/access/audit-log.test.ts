import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { as, invite, login } from './people.ts'

describeEachEngine('audit log', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine)
  })
  afterEach(() => t.close())

  it("answers who changed offer 12's payout, from what to what, in one call", async () => {
    const { offer } = await createCatalog(t)
    const user = await invite(t, { email: 'mo@example.com', name: 'Mo', role: 'manager' })
    const mo = await login(t, 'mo@example.com')
    const patched = await t.request('PATCH', `/api/v1/offers/${offer.id}`, {
      ...as(mo),
      body: { payout: '1.50' },
    })
    expect(patched.status).toBe(200)

    const log = await t.request(
      'GET',
      `/api/v1/audit-log?entity=offer&entity_id=${offer.id}`,
      as(mo),
    )
    expect(log.status).toBe(200)
    const [latest, created] = log.body.data
    expect(latest).toMatchObject({
      actor: { type: 'user', id: user.id, name: 'Mo' },
      ip: '127.0.0.1',
      action: 'update',
      entity: 'offer',
      entity_id: offer.id,
      changes: { payout: { from: 1.75, to: 1.5 } },
    })
    expect(Object.keys(latest.changes)).toEqual(['payout'])
    expect(Number.isNaN(Date.parse(latest.at))).toBe(false)
    expect(created).toMatchObject({
      actor: { type: 'key', id: null, name: 'BACKTRACK_ADMIN_KEY' },
      action: 'create',
    })
    // Mo's own first password (accepting the invite), then the payout.
    const byMo = await t.request('GET', `/api/v1/audit-log?actor_id=${user.id}`, as(mo))
    expect(byMo.body.data.map((e: { action: string }) => e.action)).toEqual([
      'update',
      'set_password',
    ])
  })

  it('records advertisers, affiliates, endpoints, conversions, users and keys, secrets redacted', async () => {
    const { advertiser, affiliate } = await createCatalog(t)
    await t.request('PATCH', `/api/v1/advertisers/${advertiser.id}`, {
      body: { regenerate_postback_token: true },
    })
    await t.request('PATCH', `/api/v1/affiliates/${affiliate.id}`, { body: { status: 'paused' } })
    const endpoint = await t.request('POST', '/api/v1/postbacks', {
      body: { affiliate_id: affiliate.id, url: 'https://aff.example/pb', sign: true },
    })
    expect(endpoint.status).toBe(201)
    await t.request('DELETE', `/api/v1/postbacks/${endpoint.body.id}`)
    const key = await t.request('POST', '/api/v1/api-keys', {
      body: { name: 'ci', role: 'analyst' },
    })
    await t.request('DELETE', `/api/v1/api-keys/${key.body.id}`)
    await invite(t, { email: 'new@example.com', role: 'analyst' })

    const log = await t.request('GET', '/api/v1/audit-log?limit=100')
    const seen = log.body.data.map(
      (e: { action: string; entity: string }) => `${e.action} ${e.entity}`,
    )
    for (const entry of [
      'create advertiser',
      'update advertiser',
      'create offer',
      'create affiliate',
      'update affiliate',
      'create postback',
      'delete postback',
      'create api_key',
      'delete api_key',
      'create user',
      'set_password user',
    ]) {
      expect(seen, entry).toContain(entry)
    }
    const tokenChange = log.body.data.find(
      (e: { action: string; entity: string }) => e.action === 'update' && e.entity === 'advertiser',
    )
    expect(tokenChange.changes.postback_token).toEqual({ from: '[redacted]', to: '[redacted]' })
    const text = JSON.stringify(log.body)
    expect(text).not.toContain(advertiser.postback_token)
    expect(text).not.toContain(key.body.key)
    expect(text).not.toContain(endpoint.body.signing_secret)
  })

  it('is for admins and managers only', async () => {
    await invite(t, { email: 'an@example.com', role: 'analyst' })
    const analyst = await login(t, 'an@example.com')
    expect((await t.request('GET', '/api/v1/audit-log', as(analyst))).status).toBe(403)
  })
})
