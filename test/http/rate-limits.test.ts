import { afterEach, expect, it } from 'vitest'
import { type RunningServer, startServer } from '../../src/main.ts'
import { click, postbackGet, setUp } from '../conversions/postback-helpers.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'

// Hourly windows in these tests, so a window boundary almost never falls inside one.
describeEachEngine('rate limits on failures', (engine) => {
  let t: TestServer
  const others: RunningServer[] = []
  afterEach(async () => {
    for (const server of others.splice(0)) await server.close()
    await t.close()
  })

  it('an address whose postbacks keep being refused gets 429 rate_limited with Retry-After', async () => {
    t = await startTestServer(engine, { BACKTRACK_RATE_LIMIT_POSTBACK_REFUSALS: '5/hour' })
    const { offer, affiliate, token } = await setUp(t)
    const clickId = await click(t, offer.id, affiliate.id)
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) {
      statuses.push((await postbackGet(t, { click_id: clickId, token: 'wrong' })).status)
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401])
    // Now even a good postback from that address waits for the window to end.
    const limited = await postbackGet(t, { click_id: clickId, token })
    expect(limited.status).toBe(429)
    expect(limited.body.error.code).toBe('rate_limited')
    const retryAfter = Number(limited.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(3600)
    const metrics = await t.request('GET', '/metrics')
    expect(metrics.body).toContain('backtrack_rate_limited_total{bucket="postback_refusals"} 1')
  })

  it('accepted postbacks do not count against the limit', async () => {
    t = await startTestServer(engine, { BACKTRACK_RATE_LIMIT_POSTBACK_REFUSALS: '2/min' })
    const { offer, affiliate, token } = await setUp(t)
    for (let i = 0; i < 6; i++) {
      const clickId = await click(t, offer.id, affiliate.id)
      const res = await postbackGet(t, { click_id: clickId, token, txid: `t${i}` })
      expect(res.status).toBe(200)
    }
  })

  it('the count is shared through the database by a second app instance', async () => {
    t = await startTestServer(engine, { BACKTRACK_RATE_LIMIT_POSTBACK_REFUSALS: '5/hour' })
    others.push(await startServer(t.config, { logger: false, print: () => {} }))
    const other = others[0]!.url
    const { offer, affiliate } = await setUp(t)
    const clickId = await click(t, offer.id, affiliate.id)
    const refused = `/postback?${new URLSearchParams({ click_id: clickId, token: 'wrong' })}`
    for (let i = 0; i < 5; i++) {
      expect((await t.request('GET', refused, { key: null })).status).toBe(401)
    }
    // The other instance has seen no failure from this address: it answers one, counts it in
    // the shared counter (now over the limit), and refuses the next.
    expect((await fetch(`${other}${refused}`)).status).toBe(401)
    const limited = await fetch(`${other}${refused}`)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
  })

  it('an address that keeps failing API authentication gets 429, even with a good key', async () => {
    t = await startTestServer(engine, { BACKTRACK_RATE_LIMIT_AUTH_FAILURES: '3/hour' })
    for (let i = 0; i < 3; i++) {
      expect((await t.request('GET', '/api/v1/offers', { key: 'not-a-key' })).status).toBe(401)
    }
    const limited = await t.request('GET', '/api/v1/offers')
    expect(limited.status).toBe(429)
    expect(limited.body.error.code).toBe('rate_limited')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
  })

  it('good API keys never count', async () => {
    t = await startTestServer(engine, { BACKTRACK_RATE_LIMIT_AUTH_FAILURES: '1/min' })
    for (let i = 0; i < 5; i++) {
      expect((await t.request('GET', '/api/v1/offers')).status).toBe(200)
    }
  })
})
