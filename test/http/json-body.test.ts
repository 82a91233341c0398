import { afterEach, beforeEach, expect, it } from 'vitest'
import { createDeliveryCatalog, enqueueEvent } from '../delivery/enqueue.ts'
import { type Receiver, startReceiver } from '../delivery/receiver.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'

// What `curl -H 'content-type: application/json' -X POST …` sends without `-d`.
const EMPTY_JSON = { body: '', headers: { 'content-type': 'application/json' } }

describeEachEngine('JSON bodies', (engine) => {
  let t: TestServer
  let receiver: Receiver
  beforeEach(async () => {
    t = await startTestServer(engine, { BACKTRACK_ALLOW_PRIVATE_TARGETS: '1' })
    receiver = await startReceiver()
  })
  afterEach(async () => {
    await t?.close()
    await receiver?.close()
  })

  it('an empty JSON body on a bodiless POST or DELETE is no body', async () => {
    const ids = await createDeliveryCatalog(t)
    const endpoint = await t.request('POST', '/api/v1/postbacks', {
      body: { affiliate_id: ids.affiliate, url: `${receiver.url}/pb?e={event_id}` },
    })
    expect(endpoint.status).toBe(201)
    const id = endpoint.body.id

    const test = await t.request('POST', `/api/v1/postbacks/${id}/test`, EMPTY_JSON)
    expect(test.status).toBe(200)
    expect(test.body.response.status_code).toBe(200)

    await enqueueEvent(t, ids)
    const delivered = await waitFor(async () => {
      const list = await t.request('GET', `/api/v1/deliveries?postback_id=${id}`)
      return list.body.data[0]?.state === 'delivered' && list.body.data[0]
    })
    const retry = await t.request('POST', `/api/v1/deliveries/${delivered.id}/retry`, EMPTY_JSON)
    expect(retry.status).toBe(200)
    expect(retry.body.event_id).toBe(delivered.event_id)

    const deleted = await t.request('DELETE', `/api/v1/postbacks/${id}`, EMPTY_JSON)
    expect(deleted.status).toBe(204)
    expect((await t.request('GET', `/api/v1/postbacks/${id}`)).status).toBe(404)
  })

  it('a JSON body with something in it is still parsed: malformed is 400 invalid_json', async () => {
    for (const body of ['{', ' ', '{"a":1']) {
      const res = await t.request('POST', '/api/v1/postbacks/1/test', {
        body,
        headers: { 'content-type': 'application/json' },
      })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.error.code).toBe('invalid_json')
    }
    const poisoned = await t.request('POST', '/api/v1/advertisers', {
      body: '{"name":"x","__proto__":{"admin":true}}',
    })
    expect(poisoned.status).toBe(400)
  })

  it('an empty JSON body where a body is required fails validation, not parsing', async () => {
    const res = await t.request('POST', '/api/v1/advertisers', EMPTY_JSON)
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('validation_failed')
  })
})
