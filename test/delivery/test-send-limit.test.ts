import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TEST_SENDS_PER_MINUTE, TestSendLimit } from '../../src/delivery/test-send-limit.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/test-server.ts'
import { type CatalogIds, createDeliveryCatalog } from './enqueue.ts'
import { type Receiver, startReceiver } from './receiver.ts'

describeEachEngine('test sends of an affiliate key', (engine) => {
  let t: TestServer
  let receiver: Receiver
  let ids: CatalogIds

  beforeEach(async () => {
    t = await startTestServer(engine, { BACKTRACK_ALLOW_PRIVATE_TARGETS: '1' })
    receiver = await startReceiver()
    ids = await createDeliveryCatalog(t)
  })
  afterEach(async () => {
    await t?.close()
    await receiver?.close()
  })

  async function endpointOf(key: string, affiliateId: string) {
    const res = await t.request('POST', '/api/v1/postbacks', {
      key,
      body: { affiliate_id: affiliateId, url: `${receiver.url}/pb?e={event_id}` },
    })
    expect(res.status).toBe(201)
    return res.body.id as string
  }

  it(`are limited to ${TEST_SENDS_PER_MINUTE} a minute, then 429 with Retry-After`, async () => {
    const id = await endpointOf(ids.apiKey, ids.affiliate)
    const send = (key: string) => t.request('POST', `/api/v1/postbacks/${id}/test`, { key })
    for (let i = 0; i < TEST_SENDS_PER_MINUTE; i++)
      expect((await send(ids.apiKey)).status).toBe(200)
    const refused = await send(ids.apiKey)
    expect(refused.status).toBe(429)
    expect(refused.body.error.code).toBe('rate_limited')
    const wait = Number(refused.headers.get('retry-after'))
    expect(wait).toBeGreaterThanOrEqual(1)
    expect(wait).toBeLessThanOrEqual(60)
    expect(receiver.received).toHaveLength(TEST_SENDS_PER_MINUTE)

    // An admin key is not limited, nor is another affiliate.
    expect((await send(TEST_ADMIN_KEY)).status).toBe(200)
    const other = await t.request('POST', '/api/v1/affiliates', { body: { name: 'Other' } })
    const otherId = await endpointOf(other.body.api_key, other.body.id)
    const otherSend = await t.request('POST', `/api/v1/postbacks/${otherId}/test`, {
      key: other.body.api_key,
    })
    expect(otherSend.status).toBe(200)
    expect(receiver.received).toHaveLength(TEST_SENDS_PER_MINUTE + 2)
  })

  it('documents the 429 in the OpenAPI document', async () => {
    const doc = await t.request('GET', '/api/openapi.json', { key: null })
    const responses = doc.body.paths['/api/v1/postbacks/{id}/test'].post.responses
    expect(responses['429'].description).toContain('rate_limited')
  })
})

describe('TestSendLimit', () => {
  it('frees a send once the oldest leaves the minute', () => {
    const limit = new TestSendLimit(3)
    expect(limit.take(1, 0)).toBeUndefined()
    expect(limit.take(1, 10_000)).toBeUndefined()
    expect(limit.take(1, 20_000)).toBeUndefined()
    expect(limit.take(1, 30_000)).toBe(30)
    expect(limit.take(2, 30_000)).toBeUndefined()
    expect(limit.take(1, 59_999)).toBe(1)
    expect(limit.take(1, 60_001)).toBeUndefined()
    expect(limit.take(1, 60_002)).toBe(10)
  })
})
