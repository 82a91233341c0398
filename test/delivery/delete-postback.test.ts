import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { type CatalogIds, createDeliveryCatalog, enqueueEvent } from './enqueue.ts'
import { type Receiver, startReceiver } from './receiver.ts'

describeEachEngine('deleting a postback endpoint', (engine) => {
  let t: TestServer
  let receiver: Receiver
  let ids: CatalogIds

  beforeEach(async () => {
    // A long first retry: a failed attempt leaves its delivery pending for an hour.
    t = await startTestServer(engine, {
      BACKTRACK_RETRY_SCHEDULE: '1h',
      BACKTRACK_ALLOW_PRIVATE_TARGETS: '1',
    })
    receiver = await startReceiver((_request, response) => {
      response.statusCode = 500
      response.end('down')
    })
    ids = await createDeliveryCatalog(t)
  })
  afterEach(async () => {
    await t?.close()
    await receiver?.close()
  })

  async function endpoint(affiliateId = ids.affiliate) {
    const res = await t.request('POST', '/api/v1/postbacks', {
      body: { affiliate_id: affiliateId, url: `${receiver.url}/pb?e={event_id}` },
    })
    expect(res.status).toBe(201)
    return res.body as { id: string }
  }

  async function deliveries(endpointId: string) {
    const res = await t.request('GET', `/api/v1/deliveries?postback_id=${endpointId}`)
    expect(res.status).toBe(200)
    return res.body.data as Array<{ id: string; state: string; attempts: unknown[] }>
  }

  it('cancels pending deliveries, keeps their history and queues nothing new', async () => {
    const pb = await endpoint()
    await enqueueEvent(t, ids)
    const [waiting] = await waitFor(async () => {
      const list = await deliveries(pb.id)
      return list.length === 1 && list[0]!.attempts.length === 1 && list
    })
    expect(waiting!.state).toBe('pending')

    const deleted = await t.request('DELETE', `/api/v1/postbacks/${pb.id}`)
    expect(deleted.status).toBe(204)
    expect(deleted.body).toBe('')

    expect((await t.request('GET', `/api/v1/postbacks/${pb.id}`)).status).toBe(404)
    const listed = await t.request('GET', '/api/v1/postbacks')
    expect(listed.body.data.map((p: { id: string }) => p.id)).not.toContain(pb.id)
    expect(
      (await t.request('PATCH', `/api/v1/postbacks/${pb.id}`, { body: { enabled: true } })).status,
    ).toBe(404)
    expect((await t.request('POST', `/api/v1/postbacks/${pb.id}/test`)).status).toBe(404)
    const again = await t.request('DELETE', `/api/v1/postbacks/${pb.id}`)
    expect(again.status).toBe(404)
    expect(again.body.error.code).toBe('not_found')

    const [cancelled] = await deliveries(pb.id)
    expect(cancelled).toMatchObject({ id: waiting!.id, state: 'cancelled', next_attempt_at: null })
    expect(cancelled!.attempts).toHaveLength(1)
    const byState = await t.request('GET', '/api/v1/deliveries?state=cancelled')
    expect(byState.body.data.map((d: { id: string }) => d.id)).toEqual([waiting!.id])

    const retried = await t.request('POST', `/api/v1/deliveries/${waiting!.id}/retry`)
    expect(retried.status).toBe(409)
    expect(retried.body.error.code).toBe('conflict')
    const replay = await t.request('POST', '/api/v1/deliveries/retry', {
      body: { postback_id: pb.id, state: 'cancelled' },
    })
    expect(replay.body).toEqual({ queued: 0 })

    const { queued } = await enqueueEvent(t, ids)
    expect(queued).toBe(0)
    expect(receiver.received).toHaveLength(1)
  })

  it('lets an affiliate key delete its own endpoints only', async () => {
    const own = await endpoint()
    const other = await t.request('POST', '/api/v1/affiliates', { body: { name: 'Other' } })
    const theirs = await endpoint(other.body.id)

    const refused = await t.request('DELETE', `/api/v1/postbacks/${theirs.id}`, { key: ids.apiKey })
    expect(refused.status).toBe(404)
    expect((await t.request('GET', `/api/v1/postbacks/${theirs.id}`)).status).toBe(200)

    const done = await t.request('DELETE', `/api/v1/postbacks/${own.id}`, { key: ids.apiKey })
    expect(done.status).toBe(204)
    expect((await t.request('GET', `/api/v1/postbacks/${own.id}`)).status).toBe(404)
    expect((await t.request('DELETE', '/api/v1/postbacks/abc')).status).toBe(404)
    expect((await t.request('DELETE', `/api/v1/postbacks/${own.id}`, { key: null })).status).toBe(
      401,
    )
  })
})
