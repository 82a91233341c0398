import { afterEach, beforeEach, expect, it } from 'vitest'
import { PARAMETER_ALIASES } from '../../src/conversions/postback-params.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'

interface OperationDoc {
  operationId: string
  summary?: string
  description?: string
  responses: Record<string, unknown>
}

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
    const manager = await t.request('POST', '/api/v1/api-keys', {
      body: { name: 'ops', role: 'manager' },
    })
    expect((await t.request('GET', '/metrics', { key: manager.body.key })).status).toBe(403)
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

  it('describes every operation: operationId, summary, description and a 4xx answer', async () => {
    const doc = await t.request('GET', '/api/openapi.json', { key: null })
    const ids: string[] = []
    for (const [path, item] of Object.entries(doc.body.paths)) {
      for (const [method, operation] of Object.entries(item as Record<string, OperationDoc>)) {
        const where = `${method.toUpperCase()} ${path}`
        expect(operation.operationId, where).toMatch(/^[a-z][A-Za-z]+$/)
        expect(operation.summary, where).toBeTruthy()
        expect(operation.description, where).toBeTruthy()
        expect(
          Object.keys(operation.responses).some((code) => /^4/.test(code)),
          where,
        ).toBe(true)
        ids.push(operation.operationId)
      }
    }
    expect(new Set(ids).size).toBe(ids.length)
    expect(doc.body.paths['/postback'].get.operationId).toBe('receivePostbackGet')
    expect(doc.body.paths['/postback'].post.operationId).toBe('receivePostbackPost')
    expect(doc.body.servers).toEqual([expect.objectContaining({ url: t.config.publicUrl })])
    expect(doc.body.info.license).toEqual({ name: 'MIT', identifier: 'MIT' })
    expect(doc.body.info.description).toContain('docs/api.md')
  })

  it('documents the tracking link redirect and every inbound postback parameter and alias', async () => {
    const doc = await t.request('GET', '/api/openapi.json', { key: null })
    const link = doc.body.paths['/c/{offer_id}'].get
    expect(link.responses['302'].headers.location).toBeDefined()
    expect(link.responses['302'].content).toBeUndefined()
    expect(Object.keys(link.responses)).toEqual(expect.arrayContaining(['400', '404', '414']))
    const postback = doc.body.paths['/postback']
    const queryNames = postback.get.parameters
      .filter((p: { in: string }) => p.in === 'query')
      .map((p: { name: string }) => p.name)
    expect(queryNames.sort()).toEqual(Object.keys(PARAMETER_ALIASES).sort())
    expect(postback.get.requestBody).toBeUndefined()
    expect(postback.post.requestBody.required).toBe(false)
    expect(Object.keys(postback.post.requestBody.content)).toEqual([
      'application/x-www-form-urlencoded',
      'application/json',
    ])
  })

  it('leaves / to the web console (test/http/web-app.test.ts), no longer a redirect', async () => {
    const res = await t.request('GET', '/', { key: null, headers: { accept: 'text/html' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/(html|plain)/)
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
