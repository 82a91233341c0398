import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { clickIdOf, storedClick, visit } from './stored-click.ts'

describeEachEngine('clicks API', (engine) => {
  let t: TestServer
  let catalog: Awaited<ReturnType<typeof createCatalog>>
  let clickId: string
  beforeEach(async () => {
    t = await startTestServer(engine)
    catalog = await createCatalog(t)
    const res = await visit(
      t,
      `/c/${catalog.offer.id}?aff_id=${catalog.affiliate.id}&sub1=s&source=src`,
      {
        'user-agent':
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      },
    )
    clickId = clickIdOf(res.headers.get('location'))
    await storedClick(t, clickId)
  })
  afterEach(() => t.close())

  it('reads a click with offer, affiliate, sub ids, ip, country, device, user agent and time', async () => {
    const res = await t.request('GET', `/api/v1/clicks/${clickId}`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      click_id: clickId,
      blocked_reason: null,
      offer_id: catalog.offer.id,
      affiliate_id: catalog.affiliate.id,
      sub1: 's',
      sub2: null,
      sub3: null,
      sub4: null,
      sub5: null,
      source: 'src',
      ip: '127.0.0.1',
      country: null,
      device: 'desktop',
      os: 'Windows',
      browser: 'Chrome',
      user_agent: expect.stringContaining('Chrome/131'),
      referrer: null,
      is_bot: false,
      is_unique: true,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    })
  })

  it('refuses forged, truncated and garbled click ids', async () => {
    const last = clickId.at(-1) === 'A' ? 'B' : 'A'
    for (const id of [
      `${clickId.slice(0, -1)}${last}`,
      clickId.slice(0, -4),
      `${clickId}AAAA`,
      'not-a-click-id',
      'A'.repeat(28),
      '%27%20or%201%3D1',
    ]) {
      const res = await t.request('GET', `/api/v1/clicks/${id}`)
      expect(res.status, id).toBe(404)
      expect(res.body.error.code).toBe('not_found')
    }
  })

  it("shows an affiliate its own clicks and nobody else's", async () => {
    const own = await t.request('GET', `/api/v1/clicks/${clickId}`, {
      key: catalog.affiliate.api_key,
    })
    expect(own.status).toBe(200)
    expect(own.body.click_id).toBe(clickId)
    const stranger = await t.request('POST', '/api/v1/affiliates', { body: { name: 'Other' } })
    const theirs = await t.request('GET', `/api/v1/clicks/${clickId}`, {
      key: stranger.body.api_key,
    })
    expect(theirs.status).toBe(404)
    expect(JSON.stringify(theirs.body)).not.toContain('127.0.0.1')
  })

  it('needs an API key', async () => {
    expect((await t.request('GET', `/api/v1/clicks/${clickId}`, { key: null })).status).toBe(401)
  })
})
