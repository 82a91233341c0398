import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { click, conversionCount, postbackGet, setUp } from './postback-helpers.ts'

describeEachEngine('inbound postback: idempotency and dedup', (engine) => {
  let t: TestServer
  let token: string
  let offerId: string
  let affiliateId: string
  beforeEach(async () => {
    t = await startTestServer(engine)
    const catalog = await setUp(t, {
      goals: [
        { key: 'sale', revenue: 2, payout: 1, allow_multiple: true },
        { key: 'register', revenue: 1, payout: '0.5' },
      ],
    })
    token = catalog.token
    offerId = catalog.offer.id
    affiliateId = catalog.affiliate.id
  })
  afterEach(() => t.close())

  it('a second postback with the same txid is a duplicate of the first', async () => {
    const clickId = await click(t, offerId, affiliateId)
    const first = await postbackGet(t, { click_id: clickId, goal: 'sale', txid: 'A1', token })
    const second = await postbackGet(t, { click_id: clickId, goal: 'sale', txid: 'A1', token })
    expect(first.body.result).toBe('accepted')
    expect(second.body).toEqual({
      result: 'duplicate',
      conversion_id: first.body.conversion_id,
      status: 'approved',
      reason: 'duplicate_txid',
    })
    expect(await conversionCount(t)).toBe(1)
  })

  it('the same txid on another click of the offer is still the same conversion', async () => {
    const one = await click(t, offerId, affiliateId)
    const two = await click(t, offerId, affiliateId)
    const first = await postbackGet(t, { click_id: one, txid: 'ORDER', token })
    const second = await postbackGet(t, { click_id: two, txid: 'ORDER', token })
    expect(second.body).toMatchObject({
      result: 'duplicate',
      conversion_id: first.body.conversion_id,
    })
  })

  it('the same txid with a new status updates the conversion and keeps the history', async () => {
    const clickId = await click(t, offerId, affiliateId)
    const pending = await postbackGet(t, { click_id: clickId, txid: 'T', status: 'pending', token })
    expect(pending.body).toMatchObject({ result: 'accepted', status: 'pending' })
    const approved = await postbackGet(t, {
      click_id: clickId,
      txid: 'T',
      status: 'approved',
      token,
    })
    expect(approved.body).toEqual({
      result: 'updated',
      conversion_id: pending.body.conversion_id,
      status: 'approved',
    })
    const again = await postbackGet(t, { click_id: clickId, txid: 'T', status: 'approved', token })
    expect(again.body.result).toBe('duplicate')
    const reversed = await postbackGet(t, {
      click_id: clickId,
      txid: 'T',
      status: 'rejected',
      token,
    })
    expect(reversed.body).toMatchObject({ result: 'updated', status: 'rejected' })
    const conversion = await t.request('GET', `/api/v1/conversions/${pending.body.conversion_id}`)
    expect(
      conversion.body.history.map((h: { from: string; to: string; source: string }) => [
        h.from,
        h.to,
        h.source,
      ]),
    ).toEqual([
      [null, 'pending', 'postback'],
      ['pending', 'approved', 'postback'],
      ['approved', 'rejected', 'postback'],
    ])
  })

  it('refuses a status change the lifecycle does not allow with 409', async () => {
    const clickId = await click(t, offerId, affiliateId)
    await postbackGet(t, { click_id: clickId, txid: 'R', status: 'rejected', token })
    const back = await postbackGet(t, { click_id: clickId, txid: 'R', status: 'approved', token })
    expect(back.status).toBe(409)
    expect(back.body.error.code).toBe('invalid_status_transition')
    const clickTwo = await click(t, offerId, affiliateId)
    await postbackGet(t, { click_id: clickTwo, txid: 'P', status: 'approved', token })
    const toPending = await postbackGet(t, {
      click_id: clickTwo,
      txid: 'P',
      status: 'pending',
      token,
    })
    expect(toPending.status).toBe(409)
  })

  it('a goal converts once per click: another txid is a duplicate goal_already_converted', async () => {
    const clickId = await click(t, offerId, affiliateId)
    const first = await postbackGet(t, { click_id: clickId, goal: 'register', txid: 'X', token })
    const other = await postbackGet(t, { click_id: clickId, goal: 'register', txid: 'Y', token })
    const none = await postbackGet(t, { click_id: clickId, goal: 'register', token })
    for (const res of [other, none]) {
      expect(res.body).toEqual({
        result: 'duplicate',
        conversion_id: first.body.conversion_id,
        status: 'approved',
        reason: 'goal_already_converted',
      })
    }
    // The offer itself (goal default) is a once-per-click goal too, and separate from "register".
    expect((await postbackGet(t, { click_id: clickId, token })).body.result).toBe('accepted')
    expect((await postbackGet(t, { click_id: clickId, token })).body.reason).toBe(
      'goal_already_converted',
    )
    // Another click converts on its own.
    const next = await click(t, offerId, affiliateId)
    expect((await postbackGet(t, { click_id: next, goal: 'register', token })).body.result).toBe(
      'accepted',
    )
  })

  it('without txids, a pending once-per-click conversion can be approved by a later postback', async () => {
    const clickId = await click(t, offerId, affiliateId)
    const pending = await postbackGet(t, { click_id: clickId, status: 'pending', token })
    const approved = await postbackGet(t, { click_id: clickId, token })
    expect(approved.body).toEqual({
      result: 'updated',
      conversion_id: pending.body.conversion_id,
      status: 'approved',
    })
    // Going back is not a change a txid-less repeat can make: it is a duplicate.
    const back = await postbackGet(t, { click_id: clickId, status: 'pending', token })
    expect(back.body).toMatchObject({ result: 'duplicate', reason: 'goal_already_converted' })
  })

  it('an allow_multiple goal records each new txid, and each call without one', async () => {
    const clickId = await click(t, offerId, affiliateId)
    const ids = new Set<string>()
    for (const params of [{ txid: 'a' }, { txid: 'b' }, {}, {}] as Array<Record<string, string>>) {
      const res = await postbackGet(t, { click_id: clickId, goal: 'sale', token, ...params })
      expect(res.body.result).toBe('accepted')
      ids.add(res.body.conversion_id)
    }
    expect(ids.size).toBe(4)
    expect(
      (await postbackGet(t, { click_id: clickId, goal: 'sale', txid: 'a', token })).body.result,
    ).toBe('duplicate')
  })

  it('a batch of new conversions, repeats, an update and a refusal answers each call as if alone', async () => {
    const endpoint = await t.request('POST', '/api/v1/postbacks', {
      body: { affiliate_id: affiliateId, url: 'https://affiliate.example/pb?e={event_id}' },
    })
    expect(endpoint.status).toBe(201)
    const clickId = await click(t, offerId, affiliateId)
    const send = (params: Record<string, string>) =>
      postbackGet(t, { click_id: clickId, goal: 'sale', token, ...params })
    expect((await send({ txid: 'P', status: 'pending' })).body.result).toBe('accepted')
    expect((await send({ txid: 'R', status: 'rejected' })).body.result).toBe('accepted')
    const calls = [
      ...Array.from({ length: 20 }, (_, i) => ({ txid: `n${i}` })),
      ...Array.from({ length: 10 }, () => ({ txid: 'n0' })),
      { txid: 'P' },
      { txid: 'P' },
      { txid: 'R' },
    ]
    const results = await Promise.all(calls.map(send))
    const byTxid = (txid: string) => results.filter((_, i) => calls[i]!.txid === txid)
    const accepted = results.filter((res) => res.body.result === 'accepted')
    expect(accepted).toHaveLength(20)
    expect(new Set(accepted.map((res) => res.body.conversion_id)).size).toBe(20)
    const n0 = byTxid('n0')
    expect(n0.filter((res) => res.body.result === 'duplicate')).toHaveLength(10)
    expect(new Set(n0.map((res) => res.body.conversion_id)).size).toBe(1)
    expect(
      byTxid('P')
        .map((res) => res.body.result)
        .sort(),
    ).toEqual(['duplicate', 'updated'])
    expect(byTxid('R')[0]!.status).toBe(409)

    const db = t.server.database.db
    expect(await conversionCount(t)).toBe(22)
    const history = await db.selectFrom('conversion_history').selectAll().execute()
    expect(history).toHaveLength(23)
    // One delivery per approval (20 new, P's update), keyed on its own status change.
    const deliveries = await db.selectFrom('deliveries').selectAll().execute()
    expect(deliveries).toHaveLength(21)
    for (const delivery of deliveries) {
      const change = history.find((row) => row.id === delivery.change_id)
      expect(change?.conversion_id).toBe(delivery.conversion_id)
      expect(change?.to_status).toBe('approved')
    }
    // Every call has its log line, naming the conversion its answer named.
    const log = await db.selectFrom('postback_log').selectAll().execute()
    expect(log).toHaveLength(calls.length + 2)
    const logged = log.filter((line) => line.http_status === 200)
    for (const res of results.filter((r) => r.status === 200)) {
      expect(logged.some((line) => String(line.conversion_id) === res.body.conversion_id)).toBe(
        true,
      )
    }
  })

  it('50 identical postbacks at once make one conversion and 49 duplicates (same txid)', async () => {
    const clickId = await click(t, offerId, affiliateId)
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        postbackGet(t, { click_id: clickId, goal: 'sale', txid: 'RACE', token }),
      ),
    )
    expect(results.every((res) => res.status === 200)).toBe(true)
    const accepted = results.filter((res) => res.body.result === 'accepted')
    const duplicates = results.filter((res) => res.body.result === 'duplicate')
    expect(accepted).toHaveLength(1)
    expect(duplicates).toHaveLength(49)
    expect(new Set(results.map((res) => res.body.conversion_id)).size).toBe(1)
    expect(await conversionCount(t)).toBe(1)
    const history = await t.server.database.db
      .selectFrom('conversion_history')
      .selectAll()
      .execute()
    expect(history).toHaveLength(1)
  })

  it('50 identical postbacks at once without txid on a once-per-click goal: one conversion', async () => {
    const clickId = await click(t, offerId, affiliateId)
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        postbackGet(t, { click_id: clickId, goal: 'register', token }),
      ),
    )
    expect(results.filter((res) => res.body.result === 'accepted')).toHaveLength(1)
    expect(results.filter((res) => res.body.reason === 'goal_already_converted')).toHaveLength(49)
    expect(await conversionCount(t)).toBe(1)
  })

  it('50 concurrent approvals of one pending conversion: one update, 49 duplicates', async () => {
    const clickId = await click(t, offerId, affiliateId)
    await postbackGet(t, { click_id: clickId, txid: 'U', status: 'pending', token })
    const results = await Promise.all(
      Array.from({ length: 50 }, () => postbackGet(t, { click_id: clickId, txid: 'U', token })),
    )
    expect(results.filter((res) => res.body.result === 'updated')).toHaveLength(1)
    expect(results.filter((res) => res.body.result === 'duplicate')).toHaveLength(49)
    const history = await t.server.database.db
      .selectFrom('conversion_history')
      .selectAll()
      .execute()
    expect(history).toHaveLength(2)
  })
})
