import { createServer, type Server } from 'node:http'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { click, mintClickId, postbackGet, setUp } from './postback-helpers.ts'

/** A loopback affiliate endpoint that records the URLs it is sent. */
async function startReceiver(): Promise<{ url: string; hits: URL[]; server: Server }> {
  const hits: URL[] = []
  const server = createServer((request, response) => {
    hits.push(new URL(request.url ?? '/', 'http://receiver'))
    response.end('ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { url: `http://127.0.0.1:${port}`, hits, server }
}

describeEachEngine('conversions API', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine, { BACKTRACK_ALLOW_PRIVATE_TARGETS: '1' })
  })
  afterEach(() => t.close())

  it('PATCH moves a conversion through the lifecycle, keeps history, refuses the rest', async () => {
    const { offer, affiliate, token } = await setUp(t)
    const res = await postbackGet(t, {
      click_id: await click(t, offer.id, affiliate.id),
      status: 'pending',
      token,
    })
    const path = `/api/v1/conversions/${res.body.conversion_id}`
    const approved = await t.request('PATCH', path, { body: { status: 'approved' } })
    expect(approved.status).toBe(200)
    expect(approved.body.status).toBe('approved')
    const unchanged = await t.request('PATCH', path, { body: { status: 'approved' } })
    expect(unchanged.body.history).toHaveLength(2)
    const back = await t.request('PATCH', path, { body: { status: 'pending' } })
    expect(back.status).toBe(409)
    expect(back.body.error.code).toBe('invalid_status_transition')
    const bad = await t.request('PATCH', path, { body: { status: 'paid' } })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('invalid_status')
    const reversed = await t.request('PATCH', path, {
      body: { status: 'rejected', reason: 'chargeback' },
    })
    expect(reversed.body).toMatchObject({ status: 'rejected', reason: 'chargeback' })
    expect(
      reversed.body.history.map((h: Record<string, unknown>) => [h.from, h.to, h.source, h.reason]),
    ).toEqual([
      [null, 'pending', 'postback', null],
      ['pending', 'approved', 'api', null],
      ['approved', 'rejected', 'api', 'chargeback'],
    ])
    expect((await t.request('PATCH', path, { body: { status: 'approved' } })).status).toBe(409)
    expect(
      (await t.request('PATCH', '/api/v1/conversions/999', { body: { status: 'approved' } }))
        .status,
    ).toBe(404)
  })

  it('queues the affiliate postback with the conversion, and again on a status change', async () => {
    const receiver = await startReceiver()
    try {
      const { offer, affiliate, token } = await setUp(t, {
        goals: [
          {
            key: 'sale',
            revenue: 10,
            revenue_type: 'percent',
            payout: '7.5',
            payout_type: 'percent',
          },
        ],
      })
      const endpoint = await t.request('POST', '/api/v1/postbacks', {
        body: {
          affiliate_id: affiliate.id,
          url: `${receiver.url}/pb?cid={click_id}&conv={conversion_id}&txid={txid}&goal={goal}&status={status}&payout={payout}&amount={amount}&currency={currency}&sub1={sub1}&ts={timestamp}`,
          statuses: ['approved', 'rejected'],
        },
      })
      expect(endpoint.status).toBe(201)
      const clickId = await click(t, offer.id, affiliate.id, { sub1: 'kw one' })
      const before = Math.floor(Date.now() / 1000)
      const res = await postbackGet(t, {
        click_id: clickId,
        goal: 'sale',
        amount: '40.10',
        txid: 'ORD-9',
        token,
      })
      expect(res.body.result).toBe('accepted')
      const first = await waitFor(() => receiver.hits[0], { message: 'the first postback' })
      expect(Object.fromEntries(first.searchParams)).toMatchObject({
        cid: clickId,
        conv: res.body.conversion_id,
        txid: 'ORD-9',
        goal: 'sale',
        status: 'approved',
        payout: '3.01',
        amount: '40.10',
        currency: 'USD',
        sub1: 'kw one',
      })
      expect(Number(first.searchParams.get('ts'))).toBeGreaterThanOrEqual(before)
      // A duplicate sends nothing; the reversal sends once more.
      await postbackGet(t, {
        click_id: clickId,
        goal: 'sale',
        amount: '40.10',
        txid: 'ORD-9',
        token,
      })
      await t.request('PATCH', `/api/v1/conversions/${res.body.conversion_id}`, {
        body: { status: 'rejected' },
      })
      const second = await waitFor(() => receiver.hits[1], { message: 'the reversal postback' })
      expect(second.searchParams.get('status')).toBe('rejected')
      // A later conversion, queued after the duplicate and the reversal: once its postback is
      // delivered, anything the duplicate had queued would be in the list and at the receiver.
      const later = await postbackGet(t, {
        click_id: await click(t, offer.id, affiliate.id),
        goal: 'sale',
        amount: '10.00',
        txid: 'ORD-10',
        token,
      })
      expect(later.body.result).toBe('accepted')
      const deliveries = await waitFor(
        async () => {
          const { data } = (await t.request('GET', '/api/v1/deliveries')).body
          const done = data.some(
            (d: { conversion_id: string; state: string }) =>
              d.conversion_id === later.body.conversion_id && d.state === 'delivered',
          )
          return done && data
        },
        { message: 'the later conversion to be delivered' },
      )
      expect(deliveries).toHaveLength(3)
      expect(
        receiver.hits.map((hit) => [hit.searchParams.get('conv'), hit.searchParams.get('status')]),
      ).toEqual([
        [res.body.conversion_id, 'approved'],
        [res.body.conversion_id, 'rejected'],
        [later.body.conversion_id, 'approved'],
      ])
    } finally {
      receiver.server.close()
    }
  })

  it('lists newest first with the contract filters and cursor pages', async () => {
    const { offer, affiliate, token } = await setUp(t, {
      goals: [{ key: 'sale', revenue: 1, payout: 1, allow_multiple: true }],
    })
    const other = await t.request('POST', '/api/v1/affiliates', { body: { name: 'Other' } })
    const clickA = await click(t, offer.id, affiliate.id)
    const clickB = await click(t, offer.id, other.body.id)
    const ids: string[] = []
    for (const [clickId, status] of [
      [clickA, 'approved'],
      [clickA, 'pending'],
      [clickB, 'approved'],
      [clickB, 'rejected'],
      [clickA, 'approved'],
    ] as const) {
      const res = await postbackGet(t, { click_id: clickId, goal: 'sale', status, token })
      ids.push(res.body.conversion_id)
    }
    const all = await t.request('GET', '/api/v1/conversions')
    expect(all.body.data.map((c: { id: string }) => c.id)).toEqual([...ids].reverse())
    const approvedA = await t.request(
      'GET',
      `/api/v1/conversions?affiliate_id=${affiliate.id}&status=approved&offer_id=${offer.id}`,
    )
    expect(approvedA.body.data.map((c: { id: string }) => c.id)).toEqual([ids[4], ids[0]])
    const page1 = await t.request('GET', '/api/v1/conversions?limit=2')
    expect(page1.body.data).toHaveLength(2)
    const page2 = await t.request(
      'GET',
      `/api/v1/conversions?limit=2&cursor=${page1.body.next_cursor}`,
    )
    const page3 = await t.request(
      'GET',
      `/api/v1/conversions?limit=2&cursor=${page2.body.next_cursor}`,
    )
    expect(page3.body.next_cursor).toBeNull()
    expect(
      [...page1.body.data, ...page2.body.data, ...page3.body.data].map((c: { id: string }) => c.id),
    ).toEqual([...ids].reverse())
    const today = new Date().toISOString().slice(0, 10)
    expect(
      (await t.request('GET', `/api/v1/conversions?from=${today}&to=${today}`)).body.data,
    ).toHaveLength(5)
    expect((await t.request('GET', '/api/v1/conversions?to=2020-01-01')).body.data).toHaveLength(0)
    const soon = new Date(Date.now() + 60_000).toISOString()
    expect((await t.request('GET', `/api/v1/conversions?from=${soon}`)).body.data).toHaveLength(0)
    const badDate = await t.request('GET', '/api/v1/conversions?from=yesterday')
    expect(badDate.status).toBe(400)
    expect((await t.request('GET', '/api/v1/conversions?status=paid')).status).toBe(400)
  })

  it('shows an affiliate key its own conversions only, without revenue or advertiser', async () => {
    const { offer, affiliate, token } = await setUp(t)
    const other = await t.request('POST', '/api/v1/affiliates', { body: { name: 'Other' } })
    const mine = await postbackGet(t, { click_id: await click(t, offer.id, affiliate.id), token })
    const theirs = await postbackGet(t, {
      click_id: await click(t, offer.id, other.body.id),
      token,
    })
    const key = affiliate.api_key
    const list = await t.request('GET', '/api/v1/conversions', { key })
    expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([mine.body.conversion_id])
    expect(list.body.data[0].revenue).toBeUndefined()
    expect(list.body.data[0].advertiser_id).toBeUndefined()
    expect(list.body.data[0].payout).toBe(1.75)
    const filtered = await t.request('GET', `/api/v1/conversions?affiliate_id=${other.body.id}`, {
      key,
    })
    expect(filtered.body.data).toHaveLength(0)
    expect(
      (await t.request('GET', `/api/v1/conversions/${theirs.body.conversion_id}`, { key })).status,
    ).toBe(404)
    expect(
      (await t.request('GET', `/api/v1/conversions/${mine.body.conversion_id}`, { key })).status,
    ).toBe(200)
    const patch = await t.request('PATCH', `/api/v1/conversions/${mine.body.conversion_id}`, {
      key,
      body: { status: 'rejected' },
    })
    expect(patch.status).toBe(403)
    expect((await t.request('GET', '/api/v1/postback-log', { key })).status).toBe(404)
  })

  it('answers 404 for an unknown or malformed conversion id', async () => {
    expect((await t.request('GET', '/api/v1/conversions/12345')).status).toBe(404)
    expect((await t.request('GET', '/api/v1/conversions/abc')).status).toBe(404)
  })

  it('dates a click whose row was never written from its id, to the millisecond', async () => {
    const { offer, affiliate, token } = await setUp(t)
    const at = Date.now() - 10_000
    const res = await postbackGet(t, {
      click_id: await mintClickId(t, offer.id, affiliate.id, at),
      token,
    })
    const conversion = (await t.request('GET', `/api/v1/conversions/${res.body.conversion_id}`))
      .body
    expect(Date.parse(conversion.clicked_at)).toBe(at)
  })
})
