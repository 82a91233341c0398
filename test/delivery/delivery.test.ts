import { Webhook } from 'standardwebhooks'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { type CatalogIds, createDeliveryCatalog, enqueueEvent } from './enqueue.ts'
import { type Receiver, startReceiver } from './receiver.ts'

describeEachEngine('outbound postbacks', (engine) => {
  let t: TestServer
  let receiver: Receiver
  let ids: CatalogIds

  beforeEach(async () => {
    t = await startTestServer(engine, {
      BACKTRACK_RETRY_SCHEDULE: '100ms,200ms',
      BACKTRACK_ALLOW_PRIVATE_TARGETS: '1',
    })
    receiver = await startReceiver()
    ids = await createDeliveryCatalog(t, {
      goals: [{ key: 'sale', revenue: 1, payout: 1 }],
    })
  })
  afterEach(async () => {
    await t?.close()
    await receiver?.close()
  })

  async function createEndpoint(body: Record<string, unknown>) {
    const res = await t.request('POST', '/api/v1/postbacks', {
      body: { affiliate_id: ids.affiliate, url: `${receiver.url}/pb?e={event_id}`, ...body },
    })
    expect(res.status).toBe(201)
    return res.body
  }

  async function deliveries(query: string) {
    const res = await t.request('GET', `/api/v1/deliveries?${query}`)
    expect(res.status).toBe(200)
    return res.body.data
  }

  it('fills every macro, URL-encoded in the URL and JSON-escaped in a JSON body', async () => {
    await createEndpoint({
      url: `${receiver.url}/get?c={click_id}&tx={txid}&s1={sub1}&p={payout}&e={event_id}&g={goal}&s={status}&cur={currency}&o={offer_id}&a={affiliate_id}&conv={conversion_id}&s2={sub2}&ts={timestamp}`,
    })
    await createEndpoint({
      url: `${receiver.url}/post/{click_id}`,
      method: 'POST',
      body_template: '{"tx":"{txid}","sub1":"{sub1}","payout":{payout},"event":"{event_id}"}',
    })
    await createEndpoint({
      url: `${receiver.url}/form`,
      method: 'POST',
      content_type: 'application/x-www-form-urlencoded',
      body_template: 'tx={txid}&sub1={sub1}',
    })
    const { queued, event } = await enqueueEvent(t, ids)
    expect(queued).toBe(3)
    await waitFor(() => receiver.received.length === 3, {
      timeoutMs: 10_000,
      message: 'three deliveries',
    })
    const get = receiver.received.find((r) => r.url.startsWith('/get'))!
    const query = new URL(get.url, 'http://x').searchParams
    expect(get.method).toBe('GET')
    expect(Object.fromEntries(query)).toEqual({
      c: `click-${event.changeId}`,
      tx: `order ${event.changeId}&x=1`,
      s1: 'a"b\\c',
      p: '1.75',
      e: get.headers['webhook-id'],
      g: 'default',
      s: 'approved',
      cur: 'USD',
      o: ids.offer,
      a: ids.affiliate,
      conv: String(event.conversionId),
      s2: '',
      ts: '1700000000',
    })
    const post = receiver.received.find((r) => r.url.startsWith('/post'))!
    expect(post.method).toBe('POST')
    expect(post.url).toBe(`/post/click-${event.changeId}`)
    expect(post.headers['content-type']).toBe('application/json')
    expect(JSON.parse(post.body)).toEqual({
      tx: `order ${event.changeId}&x=1`,
      sub1: 'a"b\\c',
      payout: 1.75,
      event: post.headers['webhook-id'],
    })
    const form = receiver.received.find((r) => r.url.startsWith('/form'))!
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(form.body))).toEqual({
      tx: `order ${event.changeId}&x=1`,
      sub1: 'a"b\\c',
    })
    const listed = await waitFor(async () => {
      const data = await deliveries(`conversion_id=${event.conversionId}`)
      return data.every((d: { state: string }) => d.state === 'delivered') && data
    })
    expect(listed).toHaveLength(3)
    expect(new Set(listed.map((d: { event_id: string }) => d.event_id)).size).toBe(3)
  })

  it('sends only to endpoints whose offer, goals and statuses match', async () => {
    const any = await createEndpoint({})
    const thisOffer = await createEndpoint({ offer_id: ids.offer })
    const saleOnly = await createEndpoint({ goals: ['sale'] })
    const pending = await createEndpoint({ statuses: ['pending', 'rejected'] })
    const other = await createCatalog(t)
    await createEndpoint({ offer_id: other.offer.id })

    const defaultGoal = await enqueueEvent(t, ids)
    const sale = await enqueueEvent(t, { ...ids, goal: 'sale' })
    const rejected = await enqueueEvent(t, { ...ids, status: 'rejected' })
    expect([defaultGoal.queued, sale.queued, rejected.queued]).toEqual([2, 3, 1])
    const endpointsOf = async (conversionId: number) =>
      (await deliveries(`conversion_id=${conversionId}`))
        .map((d: { postback_id: string }) => d.postback_id)
        .sort()
    expect(await endpointsOf(defaultGoal.event.conversionId)).toEqual([any.id, thisOffer.id].sort())
    expect(await endpointsOf(sale.event.conversionId)).toEqual(
      [any.id, thisOffer.id, saleOnly.id].sort(),
    )
    expect(await endpointsOf(rejected.event.conversionId)).toEqual([pending.id])
    // The same change queued again is the same deliveries, not new ones.
    expect((await enqueueEvent(t, { ...ids, changeId: sale.event.changeId })).queued).toBe(0)
  })

  it('is delivered on the third attempt after two 500s, with the same event id each time', async () => {
    let calls = 0
    receiver.respond = (_request, response) => {
      calls++
      response.statusCode = calls <= 2 ? 500 : 200
      response.end(calls <= 2 ? 'try later' : 'ok')
    }
    await createEndpoint({ url: `${receiver.url}/pb?e={event_id}` })
    const { event } = await enqueueEvent(t, ids)
    const [delivery] = await waitFor(async () => {
      const data = await deliveries(`conversion_id=${event.conversionId}`)
      return data[0]?.state === 'delivered' && data
    })
    expect(delivery.attempts.map((a: { status_code: number }) => a.status_code)).toEqual([
      500, 500, 200,
    ])
    expect(delivery.attempts[0]).toMatchObject({ error: 'HTTP 500', response_body: 'try later' })
    expect(delivery.attempts[2]).toMatchObject({ error: null, response_body: 'ok' })
    expect(delivery.next_attempt_at).toBeNull()
    expect(receiver.received).toHaveLength(3)
    const idsSent = receiver.received.map((r) => r.headers['webhook-id'])
    expect(new Set(idsSent)).toEqual(new Set([delivery.event_id]))
    const eventIds = receiver.received.map((r) => new URL(r.url, 'http://x').searchParams.get('e'))
    expect(new Set(eventIds)).toEqual(new Set([delivery.event_id]))
    // The retries waited: at least the schedule's delays minus jitter.
    const [first, second, third] = receiver.received.map((r) => r.at) as [number, number, number]
    expect(second - first).toBeGreaterThanOrEqual(80)
    expect(third - second).toBeGreaterThanOrEqual(160)
  })

  it('signs with Standard Webhooks, and with both secrets for 24 h after a rotation', async () => {
    const endpoint = await createEndpoint({
      method: 'POST',
      body_template: '{"event":"{event_id}","payout":"{payout}"}',
      sign: true,
    })
    const get = await createEndpoint({ sign: true })
    await enqueueEvent(t, ids)
    await waitFor(() => receiver.received.length === 2)
    const verify = (secret: string, index: number) => {
      const r = receiver.received[index]!
      return new Webhook(secret).verify(r.body, {
        'webhook-id': r.headers['webhook-id'] as string,
        'webhook-timestamp': r.headers['webhook-timestamp'] as string,
        'webhook-signature': r.headers['webhook-signature'] as string,
      })
    }
    const postIndex = receiver.received.findIndex((r) => r.method === 'POST')
    expect(verify(endpoint.signing_secret, postIndex)).toMatchObject({ payout: '1.75' })
    const getIndex = 1 - postIndex
    expect(receiver.received[getIndex]!.body).toBe('')
    expect(() => verify(get.signing_secret, getIndex)).not.toThrow()
    expect(() => verify(get.signing_secret, postIndex)).toThrow()

    const rotated = await t.request('PATCH', `/api/v1/postbacks/${endpoint.id}`, {
      body: { rotate_signing_secret: true },
    })
    expect(rotated.status).toBe(200)
    expect(rotated.body.signing_secret).not.toBe(endpoint.signing_secret)
    expect(rotated.body.signing_secret).toMatch(/^whsec_/)
    const overlapEnds = Date.parse(rotated.body.previous_signing_secret_expires_at)
    expect(overlapEnds - Date.now()).toBeGreaterThan(23.9 * 3_600_000)
    receiver.received.length = 0
    await enqueueEvent(t, ids)
    await waitFor(() => receiver.received.length === 2)
    const next = receiver.received.findIndex((r) => r.method === 'POST')
    expect(receiver.received[next]!.headers['webhook-signature']).toMatch(/^v1,\S+ v1,\S+$/)
    expect(() => verify(endpoint.signing_secret, next)).not.toThrow()
    expect(() => verify(rotated.body.signing_secret, next)).not.toThrow()
  })
})
