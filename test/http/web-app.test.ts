import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WEB_DIST } from '../../src/http/web-app.ts'
import { ensureWebBuilt } from '../../web/tools/build-web.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'

const HTML = { accept: 'text/html,application/xhtml+xml' }

// Static serving does not depend on the storage engine, so one engine serves.
describe('the web console', () => {
  let t: TestServer
  beforeAll(async () => {
    await ensureWebBuilt()
    t = await startTestServer('sqlite')
  }, 180_000)
  afterAll(() => t.close())

  it('is served at / with index.html never cached', async () => {
    const res = await t.request('GET', '/', { key: null, headers: HTML })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(res.body).toContain('<div id="root">')
  })

  it('tells its pages from server paths by whole segments: /postbacks is a page, /postback/x not', async () => {
    for (const page of ['/postbacks', '/postbacks/3', '/postback-log', '/clicks', '/api-keys']) {
      const res = await t.request('GET', page, { key: null, headers: HTML })
      expect(res.body, page).toContain('<div id="root">')
    }
    const server = await t.request('GET', '/postback/nope', { key: null, headers: HTML })
    expect(server.status).toBe(404)
    expect(server.body.error.code).toBe('not_found')
  })

  it('caches hashed assets for a year and sends them compressed when asked', async () => {
    const script = readdirSync(join(WEB_DIST, 'assets')).find((name) => name.endsWith('.js'))
    const res = await fetch(`${t.url}/assets/${script}`, { headers: { 'accept-encoding': 'br' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(res.headers.get('content-encoding')).toBe('br')
    expect(res.headers.get('content-type')).toMatch(/javascript/)
  })

  it('answers a page of the app opened directly with index.html', async () => {
    const res = await t.request('GET', '/offers?status=paused', { key: null, headers: HTML })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(res.body).toContain('<div id="root">')
  })

  it('keeps 404s in the API shape for server paths, missing assets and non-browser calls', async () => {
    const api = await t.request('GET', '/api/v1/nope', { key: null, headers: HTML })
    expect(api.status).toBe(404)
    expect(api.body.error.code).toBe('not_found')
    const asset = await t.request('GET', '/assets/gone-0000.js', { key: null })
    expect(asset.status).toBe(404)
    const curl = await t.request('GET', '/offers', { key: null, headers: { accept: '*/*' } })
    expect(curl.status).toBe(404)
  })

  it("keeps the first page's JavaScript (shell and dashboard) within 250 kB gzipped", () => {
    const manifest: Record<string, { file: string; imports?: string[] }> = JSON.parse(
      readFileSync(join(WEB_DIST, '.vite/manifest.json'), 'utf8'),
    )
    const files = new Set<string>()
    const load = (key: string) => {
      const chunk = manifest[key]
      if (!chunk || files.has(chunk.file)) return
      files.add(chunk.file)
      for (const imported of chunk.imports ?? []) load(imported)
    }
    load('index.html')
    load('src/dashboard/dashboard-page.tsx')
    const gzipped = [...files]
      .map((file) => gzipSync(readFileSync(join(WEB_DIST, file)), { level: 9 }).length)
      .reduce((sum, size) => sum + size, 0)
    console.log(`first page: ${files.size} scripts, ${(gzipped / 1000).toFixed(1)} kB gzipped`)
    expect(gzipped).toBeLessThanOrEqual(250_000)
  })

  it('leaves the API, its docs, the health check and the tracking link working', async () => {
    expect((await t.request('GET', '/healthz', { key: null })).status).toBe(200)
    expect((await t.request('GET', '/api/openapi.json', { key: null })).status).toBe(200)
    expect((await t.request('GET', '/api/docs', { key: null, headers: HTML })).status).toBe(200)
    expect((await t.request('GET', '/api/v1/offers')).status).toBe(200)
    const click = await t.request('GET', '/c/999?aff_id=1', { key: null, headers: HTML })
    expect(click.status).toBe(404)
    expect(click.body).toBe('offer not found\n')
  })
})
