import { createConfig, lintFromString } from '@redocly/openapi-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'

// The document does not depend on the storage engine, so one engine serves.
describe('the OpenAPI document', () => {
  let t: TestServer
  beforeAll(async () => {
    // As deployed; the default (localhost) would be a warning of its own.
    t = await startTestServer('sqlite', { BACKTRACK_PUBLIC_URL: 'https://track.acme.test' })
  })
  afterAll(() => t.close())

  it("passes Redocly's recommended rules: no error, and no warning but the tracking link's", async () => {
    const doc = await t.request('GET', '/api/openapi.json', { key: null })
    const problems = await lintFromString({
      source: JSON.stringify(doc.body),
      absoluteRef: 'openapi.json',
      config: await createConfig({ extends: ['recommended'] }),
    })
    const found = problems.map(
      (p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`,
    )
    // The tracking link's success is its 302; it has no 2xx answer to document.
    expect(found).toEqual([
      'warn operation-2xx-response at #/paths/~1c~1{offer_id}/get/responses: Operation must have at least one `2XX` response.',
    ])
  })
})
