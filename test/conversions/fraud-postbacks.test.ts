import { afterEach, beforeEach, expect, it } from 'vitest'
import { type Receiver, startReceiver } from '../delivery/receiver.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { click, postbackGet, setUp } from './postback-helpers.ts'

const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36'

describeEachEngine('fraud rules on inbound postbacks', (engine) => {
  let t: TestServer
  let receiver: Receiver
  beforeEach(async () => {
    receiver = await startReceiver()
    t = await startTestServer(engine, {
      BACKTRACK_TRUST_PROXY: '127.0.0.1',
      BACKTRACK_RETRY_SCHEDULE: '100ms',
      BACKTRACK_ALLOW_PRIVATE_TARGETS: '1',
    })
  })
  afterEach(async () => {
    await t.close()
    await receiver.close()
  })

  /** A browser click from `ip` (through the trusted proxy header). */
  const clickFrom = (offerId: string, affiliateId: string, ip: string, query = {}) =>
    click(t, offerId, affiliateId, query, { 'user-agent': BROWSER, 'x-forwarded-for': ip })

  const conversion = async (id: string) =>
    (await t.request('GET', `/api/v1/conversions/${id}`)).body

  it('network rules apply unless the offer overrides them; allow flags, hold holds, reject rejects', async () => {
    const { offer, affiliate, token } = await setUp(t)
    const put = await t.request('PUT', '/api/v1/settings/fraud', {
      body: { min_ctit_seconds: { value: 3600, action: 'allow' } },
    })
    expect(put.status).toBe(200)
    expect((await t.request('GET', '/api/v1/settings/fraud')).body).toEqual({
      min_ctit_seconds: { value: 3600, action: 'allow' },
    })
    const bad = await t.request('PUT', '/api/v1/settings/fraud', {
      body: { min_ctit_seconds: { value: 10, action: 'block' } },
    })
    expect(bad.status).toBe(400)

    const results: Array<{ status: string; reason: string | null; flags: unknown[] }> = []
    for (const action of [null, 'hold', 'reject'] as const) {
      if (action) {
        const patch = await t.request('PATCH', `/api/v1/offers/${offer.id}`, {
          body: { fraud: { min_ctit_seconds: { value: 3600, action } } },
        })
        expect(patch.status).toBe(200)
        expect(patch.body.fraud).toEqual({ min_ctit_seconds: { value: 3600, action } })
      }
      const clickId = await clickFrom(offer.id, affiliate.id, '81.2.69.142')
      const res = await postbackGet(t, { click_id: clickId, token })
      expect(res.status).toBe(200)
      results.push(await conversion(res.body.conversion_id))
      if (action === 'reject') {
        expect(res.body).toMatchObject({ result: 'rejected', reason: 'min_ctit_seconds' })
      }
    }
    expect(results.map((c) => [c.status, c.reason])).toEqual([
      ['approved', null],
      ['pending', 'held'],
      ['rejected', 'min_ctit_seconds'],
    ])
    for (const [i, c] of results.entries()) {
      expect(c.flags).toEqual([
        {
          rule: 'min_ctit_seconds',
          observed: expect.any(Number),
          limit: 3600,
          action: ['allow', 'hold', 'reject'][i],
        },
      ])
    }
    // Below the limit nothing trips: the same offer with a one-second minimum.
    await t.request('PATCH', `/api/v1/offers/${offer.id}`, {
      body: { fraud: { min_ctit_seconds: { value: 1, action: 'reject' } } },
    })
    const clean = await postbackGet(t, {
      click_id: await clickFrom(offer.id, affiliate.id, '81.2.69.142'),
      token,
    })
    // Converting within the same second as the click is under one second: still flagged.
    expect((await conversion(clean.body.conversion_id)).reason).toBe('min_ctit_seconds')
  })

  it('conversions per IP and per sub1: the limit-th passes, the next is caught', async () => {
    const { offer, affiliate, token } = await setUp(t, {
      fraud: {
        max_conversions_per_ip: { limit: 2, per: 'day', action: 'reject' },
        max_conversions_per_sub1: { limit: 1, per: 'hour', action: 'hold' },
      },
    })
    const convert = async (ip: string, sub1: string) => {
      const clickId = await clickFrom(offer.id, affiliate.id, ip, { sub1 })
      const res = await postbackGet(t, { click_id: clickId, token })
      expect(res.status).toBe(200)
      return conversion(res.body.conversion_id)
    }
    const byIp = [
      await convert('81.2.69.142', 'a'),
      await convert('81.2.69.142', 'b'),
      await convert('81.2.69.142', 'c'),
    ]
    expect(byIp.map((c) => c.status)).toEqual(['approved', 'approved', 'rejected'])
    expect(byIp[2].reason).toBe('max_conversions_per_ip')
    expect(byIp[2].flags).toEqual([
      { rule: 'max_conversions_per_ip', observed: 3, limit: 2, action: 'reject' },
    ])
    const bySub1 = [await convert('81.2.69.1', 'same'), await convert('81.2.69.2', 'same')]
    expect(bySub1.map((c) => [c.status, c.reason])).toEqual([
      ['approved', null],
      ['pending', 'held'],
    ])
    expect(bySub1[1].flags).toEqual([
      { rule: 'max_conversions_per_sub1', observed: 2, limit: 1, action: 'hold' },
    ])
  })

  it('bot clicks, datacenter addresses and a country mismatch are flagged with what was seen', async () => {
    const { offer, affiliate, token } = await setUp(t, {
      fraud: {
        bot_click: { action: 'reject' },
        datacenter_ip: { action: 'allow' },
        country_mismatch: { action: 'hold' },
      },
    })
    const botClick = await click(t, offer.id, affiliate.id, {}, { 'user-agent': 'curl/8.5.0' })
    const bot = await postbackGet(t, { click_id: botClick, token })
    expect(bot.body).toMatchObject({ result: 'rejected', reason: 'bot_click' })

    // A GB click (81.2.69.142) converting from Google's 8.8.8.8: a datacenter, in the US.
    const human = await clickFrom(offer.id, affiliate.id, '81.2.69.142')
    const res = await postbackGet(t, { click_id: human, token, ip: '8.8.8.8' })
    const flagged = await conversion(res.body.conversion_id)
    expect([flagged.status, flagged.reason]).toEqual(['pending', 'held'])
    expect(flagged.flags).toEqual([
      { rule: 'datacenter_ip', observed: '8.8.8.8 (AS15169)', limit: null, action: 'allow' },
      { rule: 'country_mismatch', observed: 'US', limit: 'GB', action: 'hold' },
    ])
    // The same country, from a home address: clean.
    const home = await clickFrom(offer.id, affiliate.id, '81.2.69.142')
    const same = await postbackGet(t, { click_id: home, token, ip: '81.2.69.160' })
    expect(await conversion(same.body.conversion_id)).toMatchObject({
      status: 'approved',
      flags: [],
    })
    const listed = await t.request('GET', '/api/v1/conversions?flag=country_mismatch')
    expect(listed.body.data.map((c: { id: string }) => c.id)).toEqual([res.body.conversion_id])
    const badIp = await postbackGet(t, { click_id: home, token, ip: 'not-an-ip' })
    expect(badIp.status).toBe(400)
  })

  it('the review queue approves and rejects held conversions, and each change sends its postback with {flags}', async () => {
    const { offer, affiliate, token } = await setUp(t, {
      fraud: { min_ctit_seconds: { value: 3600, action: 'hold' } },
    })
    const endpoint = await t.request('POST', '/api/v1/postbacks', {
      body: {
        affiliate_id: affiliate.id,
        url: `${receiver.url}/pb?id={conversion_id}&s={status}&f={flags}`,
        statuses: ['approved', 'pending', 'rejected'],
      },
    })
    expect(endpoint.status).toBe(201)
    const ids: string[] = []
    for (let i = 0; i < 2; i++) {
      const clickId = await clickFrom(offer.id, affiliate.id, '81.2.69.142')
      const res = await postbackGet(t, { click_id: clickId, token, txid: `T${i}` })
      expect(res.body).toMatchObject({ result: 'accepted', status: 'pending' })
      ids.push(res.body.conversion_id)
      // The advertiser cannot approve what waits for review.
      const again = await postbackGet(t, { click_id: clickId, token, txid: `T${i}` })
      expect(again.body).toMatchObject({
        result: 'duplicate',
        status: 'pending',
        reason: 'held_for_review',
      })
    }
    const today = new Date().toISOString().slice(0, 10)
    const totals = async () =>
      (await t.request('GET', `/api/v1/reports?from=${today}&to=${today}`)).body.totals
    expect(await totals()).toMatchObject({ held_conversions: 2, flagged_conversions: 2 })
    const queue = await t.request('GET', '/api/v1/conversions?status=pending&reason=held')
    expect(queue.body.data.map((c: { id: string }) => c.id).sort()).toEqual([...ids].sort())

    const approve = await t.request('POST', '/api/v1/conversions/review', {
      body: { ids: [ids[0], '999999'], status: 'approved', reason: 'checked' },
    })
    expect(approve.status).toBe(200)
    expect(approve.body.results).toEqual([
      { id: ids[0], status: 'approved' },
      { id: '999999', error: { code: 'not_found', message: expect.any(String) } },
    ])
    const reject = await t.request('POST', '/api/v1/conversions/review', {
      body: { ids: [ids[1]], status: 'rejected', reason: 'install hijacking' },
    })
    expect(reject.body.results).toEqual([{ id: ids[1], status: 'rejected' }])
    const again = await t.request('POST', '/api/v1/conversions/review', {
      body: { ids: [ids[1]], status: 'approved' },
    })
    expect(again.body.results[0].error.code).toBe('invalid_status_transition')

    await waitFor(() => receiver.received.length >= 4, { message: 'four postbacks' })
    const sent = receiver.received.map((r) =>
      Object.fromEntries(new URL(r.url, 'http://x').searchParams),
    )
    expect(sent).toEqual(
      expect.arrayContaining([
        { id: ids[0], s: 'pending', f: 'min_ctit_seconds' },
        { id: ids[1], s: 'pending', f: 'min_ctit_seconds' },
        { id: ids[0], s: 'approved', f: 'min_ctit_seconds' },
        { id: ids[1], s: 'rejected', f: 'min_ctit_seconds' },
      ]),
    )
    expect(await totals()).toMatchObject({
      held_conversions: 0,
      flagged_conversions: 2,
      conversions: 1,
      rejected_conversions: 1,
    })
    const reviewed = await conversion(ids[1]!)
    expect(reviewed.history.at(-1)).toMatchObject({
      from: 'pending',
      to: 'rejected',
      source: 'api',
      reason: 'install hijacking',
    })
    expect(
      (await t.request('GET', '/api/v1/conversions?status=pending&reason=held')).body.data,
    ).toEqual([])
  })
})
