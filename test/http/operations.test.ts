import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'

describeEachEngine('health, metrics, OpenAPI', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine)
  })
  afterEach(() => t.close())

  it('reports healthy while the database answers and 503 once it is gone', async () => {
    const ok = await t.request('GET', '/healthz', { key: null })
    expect(ok.status).toBe(200)
    expect(ok.body).toEqual({ status: 'ok' })
    await t.server.database.close()
    const down = await t.request('GET', '/healthz', { key: null })
    expect(down.status).toBe(503)
    // The public answer says nothing of why; the reason is for the admin's /metrics and the log.
    expect(down.body).toEqual({ status: 'unavailable' })
    const metrics = await t.request('GET', '/metrics')
    expect(metrics.body).toContain('backtrack_health_up 0')
    expect(metrics.body).toContain('backtrack_health_failures_total{reason="database_error"} 1')
  })

  it('serves Prometheus metrics per route to admin keys only', async () => {
    await t.request('GET', '/api/v1/offers')
    await t.request('GET', '/api/v1/offers')
    expect((await t.request('GET', '/metrics', { key: null })).status).toBe(401)
    const res = await t.request('GET', '/metrics')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    expect(res.body).toContain(
      'backtrack_http_requests_total{method="GET",route="/api/v1/offers",status="200"} 2',
    )
    expect(res.body).toContain('backtrack_http_request_duration_seconds_bucket')
  })

  it('publishes an OpenAPI document built from the validation schemas, and a docs page', async () => {
    const doc = await t.request('GET', '/api/openapi.json', { key: null })
    expect(doc.status).toBe(200)
    expect(doc.body.openapi).toBe('3.1.0')
    const create = doc.body.paths['/api/v1/offers'].post
    expect(create.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['advertiser_id', 'name', 'destination_url', 'revenue', 'payout']),
    )
    for (const path of ['/api/v1/advertisers', '/api/v1/affiliates', '/api/v1/postbacks/{id}']) {
      expect(doc.body.paths[path], path).toBeDefined()
    }
    const page = await t.request('GET', '/api/docs/', { key: null })
    expect(page.status).toBe(200)
    expect(page.body).toContain('swagger')
  })

  it('answers unknown routes and malformed JSON with the error shape', async () => {
    const missing = await t.request('GET', '/nope', { key: null })
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('not_found')
    const garbled = await t.request('POST', '/api/v1/advertisers', { body: '{"name":' })
    expect(garbled.status).toBe(400)
    expect(garbled.body.error.code).toBe('invalid_json')
    const xml = await t.request('POST', '/api/v1/advertisers', {
      body: '<a/>',
      headers: { 'content-type': 'application/xml' },
    })
    expect(xml.status).toBe(415)
    expect(xml.body.error.code).toBe('unsupported_media_type')
  })
})
