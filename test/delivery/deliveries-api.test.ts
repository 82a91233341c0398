import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { type CatalogIds, createDeliveryCatalog, enqueueEvent } from './enqueue.ts'
import { type Receiver, startReceiver } from './receiver.ts'

describeEachEngine('deliveries API and endpoint health', (engine) => {
  let t: TestServer
  let receiver: Receiver
  /** A second endpoint's receiver, for the tests that need one. */
  let healthy: Receiver | undefined
  let ids: CatalogIds

  beforeEach(async () => {
    t = await startTestServer(engine, {
      BACKTRACK_RETRY_SCHEDULE: '100ms',
      BACKTRACK_ALLOW_PRIVATE_TARGETS: '1',
    })
    receiver = await startReceiver()
    ids = await createDeliveryCatalog(t)
  })
  afterEach(async () => {
    await t?.close()
    await receiver?.close()
    await healthy?.close()
    healthy = undefined
  })

  async function endpoint(body: Record<string, unknown> = {}) {
    const res = await t.request('POST', '/api/v1/postbacks', {
      body: { affiliate_id: ids.affiliate, url: `${receiver.url}/pb?e={event_id}`, ...body },
    })
    expect(res.status).toBe(201)
    return res.body
  }

  async function list(query: string, key?: string) {
    const res = await t.request('GET', `/api/v1/deliveries?${query}`, { key })
    expect(res.status).toBe(200)
    return res.body
  }

  function settled(query: string, count: number) {
    return waitFor(async () => {
      const { data } = await list(query)
      return (
        data.length === count && data.every((d: { state: string }) => d.state !== 'pending') && data
      )
    })
  }

  it('retries one failed delivery and replays in bulk, keeping each event id', async () => {
    receiver.respond = (_request, response) => {
      response.statusCode = 500
      response.end()
    }
    const pb = await endpoint()
    for (let i = 0; i < 3; i++) await enqueueEvent(t, ids)
    const failed = await settled(`postback_id=${pb.id}`, 3)
    expect(failed.map((d: { state: string }) => d.state)).toEqual(['failed', 'failed', 'failed'])
    expect(failed[0].attempts).toHaveLength(2)

    receiver.respond = (_request, response) => response.end('ok')
    receiver.received.length = 0
    const retried = await t.request('POST', `/api/v1/deliveries/${failed[0].id}/retry`)
    expect(retried.status).toBe(200)
    expect(retried.body).toMatchObject({ id: failed[0].id, state: 'pending' })
    expect(retried.body.next_attempt_at).not.toBeNull()
    await waitFor(async () => (await list(`state=delivered`)).data.length === 1)
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([failed[0].event_id])

    const replay = await t.request('POST', '/api/v1/deliveries/retry', {
      body: { postback_id: pb.id, state: 'failed', from: '2000-01-01', to: '2999-12-31' },
    })
    expect(replay.body).toEqual({ queued: 2 })
    const all = await settled(`postback_id=${pb.id}`, 3)
    expect(all.every((d: { state: string }) => d.state === 'delivered')).toBe(true)
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(
      new Set(failed.map((d: { event_id: string }) => d.event_id)),
    )
    const none = await t.request('POST', '/api/v1/deliveries/retry', {
      body: { to: '2000-01-01' },
    })
    expect(none.body).toEqual({ queued: 0 })
    expect((await t.request('POST', '/api/v1/deliveries/999999/retry')).status).toBe(404)
    expect((await t.request('GET', '/api/v1/deliveries?from=yesterday')).status).toBe(400)
  })

  it('pages deliveries and shows an affiliate only its own', async () => {
    const pb = await endpoint()
    for (let i = 0; i < 3; i++) await enqueueEvent(t, ids)
    await settled(`postback_id=${pb.id}`, 3)
    const first = await list('limit=2')
    expect(first.data).toHaveLength(2)
    const second = await list(`limit=2&cursor=${first.next_cursor}`)
    expect(second.data).toHaveLength(1)
    expect(second.next_cursor).toBeNull()
    expect((await list('state=delivered', ids.apiKey)).data).toHaveLength(3)

    const other = await t.request('POST', '/api/v1/affiliates', { body: { name: 'Other' } })
    const otherKey = other.body.api_key
    expect((await list('', otherKey)).data).toHaveLength(0)
    const id = first.data[0].id
    expect(
      (await t.request('POST', `/api/v1/deliveries/${id}/retry`, { key: otherKey })).status,
    ).toBe(404)
    expect(
      (await t.request('POST', `/api/v1/postbacks/${pb.id}/test`, { key: otherKey })).status,
    ).toBe(404)
  })

  it('sends a signed sample with POST /postbacks/{id}/test and returns both sides', async () => {
    receiver.respond = (_request, response) => {
      response.writeHead(202, { 'x-receiver': 'yes' })
      response.end('accepted')
    }
    const pb = await endpoint({
      method: 'POST',
      body_template: '{"click":"{click_id}","event":"{event_id}"}',
      sign: true,
    })
    const res = await t.request('POST', `/api/v1/postbacks/${pb.id}/test`)
    expect(res.status).toBe(200)
    expect(res.body.request).toMatchObject({ method: 'POST', content_type: 'application/json' })
    expect(res.body.request.headers['webhook-signature']).toMatch(/^v1,/)
    expect(res.body.response).toMatchObject({
      outcome: 'delivered',
      status_code: 202,
      body: 'accepted',
      error: null,
    })
    expect(res.body.response.headers['x-receiver']).toBe('yes')
    expect(receiver.received).toHaveLength(1)
    expect(JSON.parse(receiver.received[0]!.body).event).toBe(
      receiver.received[0]!.headers['webhook-id'],
    )
    // A test send is not a delivery.
    expect((await list('')).data).toHaveLength(0)
  })

  it('stops hammering a failing endpoint, disables it after 24 h of failure and resumes on re-enable', async () => {
    receiver.respond = (_request, response) => {
      response.statusCode = 503
      response.end()
    }
    const pb = await endpoint()
    for (let i = 0; i < 6; i++) await enqueueEvent(t, ids)
    await waitFor(async () => {
      const row = await t.server.database.db
        .selectFrom('postbacks')
        .select(['consecutive_failures', 'circuit_open_until'])
        .where('id', '=', Number(pb.id))
        .executeTakeFirstOrThrow()
      return row.circuit_open_until !== null && row.consecutive_failures >= 5
    })
    // From here a healthy endpoint of the same affiliate gets every event too, queued beside the
    // failing one's: once its deliveries are delivered, the worker has been through the failing
    // endpoint's as well, and what did not reach the receiver by then was held back.
    healthy = await startReceiver()
    const other = await endpoint({ url: `${healthy.url}/pb?e={event_id}` })
    const deliveredToOther = (count: number) =>
      waitFor(
        async () =>
          (await list(`postback_id=${other.id}&state=delivered&limit=100`)).data.length === count,
        { message: `${count} deliveries to the healthy endpoint` },
      )

    // With the circuit open, new deliveries wait: the endpoint sees one probe at a time, each
    // failure doubling the wait, instead of 20 more requests at once.
    const before = receiver.received.length
    for (let i = 0; i < 20; i++) await enqueueEvent(t, ids)
    await deliveredToOther(20)
    expect(healthy.received).toHaveLength(20)
    expect(receiver.received.length - before).toBeLessThanOrEqual(6)
    const untouched = (await list(`postback_id=${pb.id}&state=pending&limit=100`)).data.filter(
      (d: { attempts: unknown[] }) => d.attempts.length === 0,
    )
    expect(untouched.length).toBeGreaterThanOrEqual(14)

    // Failing since more than 24 h: the next failure disables it.
    await t.server.database.db
      .updateTable('postbacks')
      .set({ failing_since: Date.now() - 25 * 3_600_000 })
      .where('id', '=', Number(pb.id))
      .execute()
    const disabled = await waitFor(async () => {
      const res = await t.request('GET', `/api/v1/postbacks/${pb.id}`)
      return res.body.enabled === false && res.body
    })
    expect(disabled.disabled_at).not.toBeNull()
    // A delivery due at once to the disabled endpoint, beside one to the healthy endpoint.
    const sentWhileDisabled = receiver.received.length
    const { event } = await enqueueEvent(t, ids)
    await deliveredToOther(21)
    expect(receiver.received.length).toBe(sentWhileDisabled)
    const held = await list(`conversion_id=${event.conversionId}&postback_id=${pb.id}`)
    expect(held.data).toMatchObject([{ state: 'pending', attempts: [] }])

    receiver.respond = (_request, response) => response.end('ok')
    const enabled = await t.request('PATCH', `/api/v1/postbacks/${pb.id}`, {
      body: { enabled: true },
    })
    expect(enabled.body).toMatchObject({ enabled: true, disabled_at: null, failing_since: null })
    // Its waiting deliveries go out; those that used up their attempts meanwhile are failed.
    const done = await settled(`postback_id=${pb.id}&limit=100`, 27)
    const delivered = done.filter((d: { state: string }) => d.state === 'delivered')
    // The 14 or more never tried while the circuit was open, and the one queued while disabled.
    expect(delivered.length).toBeGreaterThanOrEqual(15)
  })

  it('reports queue depth, attempts by outcome and delivery latency on /metrics', async () => {
    await endpoint()
    await enqueueEvent(t, ids)
    await waitFor(() => receiver.received.length === 1)
    const text = await waitFor(async () => {
      const res = await t.request('GET', '/metrics')
      return /backtrack_delivery_attempts_total\{outcome="delivered"\} 1/.test(res.body) && res.body
    })
    expect(text).toMatch(/backtrack_delivery_queue_depth \d+/)
    expect(text).toMatch(/backtrack_delivery_latency_seconds_count 1/)
  })
})
