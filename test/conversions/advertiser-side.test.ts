import { afterEach, beforeEach, expect, it } from 'vitest'
import { as, invite, login } from '../access/people.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { click, lastLogLine, postbackGet, setUp } from './postback-helpers.ts'

/** The requests queued for a conversion, by endpoint id: what the worker will send. */
async function queued(t: TestServer, conversionId: string) {
  const rows = await t.server.database.db
    .selectFrom('deliveries')
    .select(['postback_id', 'url', 'body'])
    .where('conversion_id', '=', Number(conversionId))
    .orderBy('postback_id')
    .execute()
  return new Map(rows.map((row) => [String(row.postback_id), row]))
}

async function endpoint(t: TestServer, body: Record<string, unknown>, key?: object) {
  const created = await t.request('POST', '/api/v1/postbacks', { body, ...key })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  return created.body
}

describeEachEngine('the advertiser side of a conversion', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine, { BACKTRACK_ALLOW_PRIVATE_TARGETS: '1' })
  })
  afterEach(() => t.close())

  it('takes a reported revenue, pays percent of it, and refuses a reported goal without one', async () => {
    const { offer, affiliate, token } = await setUp(t, {
      revenue: '0',
      revenue_type: 'reported',
      payout: '40',
      payout_type: 'percent',
      goals: [{ key: 'lead', revenue: '3.00', payout: '1.00' }],
    })
    expect(offer.revenue_type).toBe('reported')

    const missing = await postbackGet(t, {
      click_id: await click(t, offer.id, affiliate.id),
      token,
    })
    expect(missing.status).toBe(400)
    expect(missing.body.error.code).toBe('missing_revenue')
    expect((await lastLogLine(t)).reason).toBe('missing_revenue')

    // `payout` is the alias Voluum and Keitaro templates send; exact decimals, no floats.
    const sale = await postbackGet(t, {
      click_id: await click(t, offer.id, affiliate.id),
      payout: '10.05',
      token,
    })
    expect(sale.body).toMatchObject({ result: 'accepted' })
    expect(sale.body).not.toHaveProperty('warnings')
    const conversion = await t.request('GET', `/api/v1/conversions/${sale.body.conversion_id}`)
    expect(conversion.body).toMatchObject({ revenue: 10.05, reported_revenue: 10.05, payout: 4.02 })

    const tooPrecise = await postbackGet(t, {
      click_id: await click(t, offer.id, affiliate.id),
      revenue: '1.005',
      token,
    })
    expect(tooPrecise.status).toBe(400)
    expect(tooPrecise.body.error.code).toBe('invalid_amount')

    // A fixed goal keeps its revenue; the reported one is stored beside it, and the call is told.
    const lead = await postbackGet(t, {
      click_id: await click(t, offer.id, affiliate.id),
      goal: 'lead',
      revenue: '2.75',
      amount: '99',
      token,
    })
    expect(lead.status).toBe(200)
    expect(lead.body.warnings.map((w: { code: string }) => w.code)).toEqual([
      'unused_amount',
      'unused_revenue',
    ])
    const logged = await lastLogLine(t)
    expect(logged.result).toBe('accepted')
    expect(logged.warnings).toEqual(lead.body.warnings)
    const leadConversion = await t.request('GET', `/api/v1/conversions/${lead.body.conversion_id}`)
    expect(leadConversion.body).toMatchObject({ revenue: 3, reported_revenue: 2.75, payout: 1 })

    const refused = await t.request('POST', '/api/v1/offers', {
      body: { ...offerBody(offer), payout_type: 'reported' },
    })
    expect(refused.status).toBe(400)
    const nonZero = await t.request('POST', '/api/v1/offers', {
      body: { ...offerBody(offer), revenue: '1', revenue_type: 'reported' },
    })
    expect(nonZero.status).toBe(400)
  })

  it('keeps adv1..adv5 on the conversion, filters by them and fills their macros', async () => {
    const { offer, affiliate, token } = await setUp(t, { revenue_type: 'percent', revenue: '10' })
    const hook = await endpoint(t, {
      affiliate_id: affiliate.id,
      url: 'http://127.0.0.1:9/pb?a1={adv1}&a5={adv5}&p={payout}',
    })
    const sale = await postbackGet(t, {
      click_id: await click(t, offer.id, affiliate.id),
      amount: '20',
      adv1: 'crm 7/a',
      adv5: 'x'.repeat(500),
      token,
    })
    expect(sale.status).toBe(200)
    expect(sale.body).not.toHaveProperty('warnings')
    const other = await postbackGet(t, {
      click_id: await click(t, offer.id, affiliate.id),
      adv1: 'other',
      token,
    })
    expect(other.status).toBe(200)
    const conversion = await t.request('GET', `/api/v1/conversions/${sale.body.conversion_id}`)
    expect(conversion.body).toMatchObject({ adv1: 'crm 7/a', adv2: null, adv5: 'x'.repeat(500) })
    expect(conversion.body.reported_revenue).toBeNull()

    const filtered = await t.request(
      'GET',
      `/api/v1/conversions?adv1=${encodeURIComponent('crm 7/a')}`,
    )
    expect(filtered.body.data.map((c: { id: string }) => c.id)).toEqual([sale.body.conversion_id])
    const report = await t.request(
      'GET',
      `/api/v1/reports?group_by=offer_id&adv1=${encodeURIComponent('crm 7/a')}`,
    )
    expect(report.status).toBe(200)
    expect(report.body.totals).toMatchObject({
      conversions: 1,
      revenue: 2,
      clicks: 0,
      held_conversions: 0,
      flagged_conversions: 0,
      blocked_clicks: 0,
    })

    const deliveries = await queued(t, sale.body.conversion_id)
    expect(deliveries.get(hook.id)?.url).toBe(
      `http://127.0.0.1:9/pb?a1=crm%207%2Fa&a5=${'x'.repeat(500)}&p=1.75`,
    )

    const tooLong = await postbackGet(t, {
      click_id: await click(t, offer.id, affiliate.id),
      adv2: 'y'.repeat(501),
      token,
    })
    expect(tooLong.status).toBe(400)
    expect(tooLong.body.error.details[0].field).toBe('adv2')
  })

  it("fires an advertiser's endpoint for its offers only, and the network's for every conversion", async () => {
    const mine = await setUp(t)
    const theirs = await setUp(t)
    const advertiserHook = await endpoint(t, {
      advertiser_id: mine.advertiser.id,
      url: 'http://127.0.0.1:9/adv?r={revenue}&p={payout}&a={affiliate_id}&c={conversion_id}',
    })
    expect(advertiserHook).toMatchObject({
      owner: 'advertiser',
      advertiser_id: mine.advertiser.id,
      affiliate_id: null,
    })
    const networkHook = await endpoint(t, {
      url: 'http://127.0.0.1:9/crm',
      method: 'POST',
      body_template: '{"r":"{revenue}","p":"{payout}"}',
    })
    expect(networkHook).toMatchObject({ owner: 'network', affiliate_id: null, advertiser_id: null })
    const affiliateRevenue = await t.request('POST', '/api/v1/postbacks', {
      body: { affiliate_id: mine.affiliate.id, url: 'http://127.0.0.1:9/a?r={revenue}' },
    })
    expect(affiliateRevenue.status).toBe(400)
    expect(affiliateRevenue.body.error.code).toBe('unknown_macro')
    const both = await t.request('POST', '/api/v1/postbacks', {
      body: {
        affiliate_id: mine.affiliate.id,
        advertiser_id: mine.advertiser.id,
        url: 'http://127.0.0.1:9/x',
      },
    })
    expect(both.status).toBe(400)

    const ours = await postbackGet(t, {
      click_id: await click(t, mine.offer.id, mine.affiliate.id),
      token: mine.token,
    })
    const other = await postbackGet(t, {
      click_id: await click(t, theirs.offer.id, theirs.affiliate.id),
      token: theirs.token,
    })
    const oursQueued = await queued(t, ours.body.conversion_id)
    expect(oursQueued.get(advertiserHook.id)?.url).toBe(
      `http://127.0.0.1:9/adv?r=2.50&p=&a=&c=${ours.body.conversion_id}`,
    )
    expect(oursQueued.get(networkHook.id)?.body).toBe('{"r":"2.50","p":"1.75"}')
    const otherQueued = await queued(t, other.body.conversion_id)
    expect(otherQueued.has(advertiserHook.id)).toBe(false)
    expect(otherQueued.has(networkHook.id)).toBe(true)

    const listed = await t.request('GET', '/api/v1/postbacks?owner=network')
    expect(listed.body.data.map((e: { id: string }) => e.id)).toEqual([networkHook.id])
  })

  it('lets an advertiser manage its own endpoints and read only its own data, without payouts', async () => {
    const mine = await setUp(t)
    const theirs = await setUp(t)
    await invite(t, {
      email: 'adv@example.com',
      role: 'advertiser',
      advertiser_id: mine.advertiser.id,
    })
    const adv = as(await login(t, 'adv@example.com'))

    const own = await t.request('GET', `/api/v1/advertisers/${mine.advertiser.id}`, adv)
    expect(own.status).toBe(200)
    expect(own.body.postback_token).toBe(mine.token)
    expect(
      (await t.request('GET', `/api/v1/advertisers/${theirs.advertiser.id}`, adv)).status,
    ).toBe(404)

    const created = await t.request('POST', '/api/v1/postbacks', {
      ...adv,
      body: { url: 'http://127.0.0.1:9/mine?r={revenue}', sign: true },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ owner: 'advertiser', advertiser_id: mine.advertiser.id })
    expect(created.body.signing_secret).toMatch(/^whsec_/)
    const forOther = await t.request('POST', '/api/v1/postbacks', {
      ...adv,
      body: { advertiser_id: theirs.advertiser.id, url: 'http://127.0.0.1:9/x' },
    })
    expect(forOther.status).toBe(404)
    const forAffiliate = await t.request('POST', '/api/v1/postbacks', {
      ...adv,
      body: { affiliate_id: mine.affiliate.id, url: 'http://127.0.0.1:9/x' },
    })
    expect(forAffiliate.status).toBe(404)
    const otherOffer = await t.request('POST', '/api/v1/postbacks', {
      ...adv,
      body: { offer_id: theirs.offer.id, url: 'http://127.0.0.1:9/x' },
    })
    expect(otherOffer.status).toBe(400)
    const affiliateHook = await endpoint(t, {
      affiliate_id: mine.affiliate.id,
      url: 'http://127.0.0.1:9/aff?p={payout}',
    })
    const listed = await t.request('GET', '/api/v1/postbacks', adv)
    expect(listed.body.data.map((e: { id: string }) => e.id)).toEqual([created.body.id])
    expect((await t.request('GET', `/api/v1/postbacks/${affiliateHook.id}`, adv)).status).toBe(404)
    const patched = await t.request('PATCH', `/api/v1/postbacks/${created.body.id}`, {
      ...adv,
      body: { statuses: ['approved', 'rejected'] },
    })
    expect(patched.status).toBe(200)

    const sale = await postbackGet(t, {
      click_id: await click(t, mine.offer.id, mine.affiliate.id),
      token: mine.token,
    })
    await postbackGet(t, {
      click_id: await click(t, theirs.offer.id, theirs.affiliate.id),
      token: theirs.token,
    })
    const deliveries = await t.request('GET', '/api/v1/deliveries', adv)
    expect(deliveries.body.data.map((d: { postback_id: string }) => d.postback_id)).toEqual([
      created.body.id,
    ])

    const report = await t.request('GET', '/api/v1/reports?group_by=offer_id', adv)
    expect(report.status).toBe(200)
    expect(report.body.rows.map((r: { offer_id: string }) => r.offer_id)).toEqual([mine.offer.id])
    expect(report.body.totals).toMatchObject({ conversions: 1, revenue: 2.5 })
    for (const hidden of ['payout', 'profit', 'epc'])
      expect(report.body.totals).not.toHaveProperty(hidden)
    const csv = await t.request('GET', '/api/v1/reports?group_by=offer_id&format=csv', adv)
    expect(csv.body).not.toContain('payout')
    for (const path of [
      '/api/v1/reports?group_by=affiliate_id',
      `/api/v1/reports?affiliate_id=${mine.affiliate.id}`,
      '/api/v1/reports?sort=-payout',
      `/api/v1/conversions?affiliate_id=${mine.affiliate.id}`,
    ]) {
      expect((await t.request('GET', path, adv)).status, path).toBe(403)
    }
    expect(
      (await t.request('GET', `/api/v1/reports?offer_id=${theirs.offer.id}`, adv)).status,
    ).toBe(404)

    const conversions = await t.request('GET', '/api/v1/conversions', adv)
    expect(conversions.body.data.map((c: { id: string }) => c.id)).toEqual([
      sale.body.conversion_id,
    ])
    const text = JSON.stringify(conversions.body)
    expect(text).not.toContain('"payout"')
    expect(text).not.toContain('affiliate_id')
    expect(text).not.toContain('Traffic Co')
  })
})

function offerBody(offer: Record<string, unknown>) {
  return {
    advertiser_id: offer.advertiser_id,
    name: 'Another',
    destination_url: 'https://shop.example/?c={click_id}',
    revenue: '0',
    payout: '1',
  }
}
