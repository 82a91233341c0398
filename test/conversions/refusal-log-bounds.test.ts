import { afterEach, expect, it } from 'vitest'
import { MAX_PARAMS_CHARS } from '../../src/conversions/postback-log-params.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { click, postbackPost, setUp } from './postback-helpers.ts'

async function storedLog(t: TestServer) {
  return t.server.database.db
    .selectFrom('postback_log')
    .select(['params', 'message'])
    .where('result', '=', 'error')
    .execute()
}

describeEachEngine('inbound postback: a flood of refusals', (engine) => {
  let t: TestServer
  afterEach(() => t.close())

  it('large refused postbacks leave bounded, sampled log rows and count the rest as dropped', async () => {
    // No rate limit: the sampling alone must bound what a flood writes.
    t = await startTestServer(engine, { BACKTRACK_RATE_LIMIT_POSTBACK_REFUSALS: '0' })
    const { offer, affiliate } = await setUp(t)
    const clickId = await click(t, offer.id, affiliate.id)
    // 25 kB forms: 60 parameters of 400 characters, refused for their token.
    const form = new URLSearchParams({ click_id: clickId, token: 'wrong' })
    for (let i = 0; i < 60; i++) form.set(`p${i}`, 'x'.repeat(400))
    const body = form.toString()
    expect(body.length).toBeGreaterThan(24_000)
    const sent = 400
    for (let round = 0; round < sent / 20; round++) {
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          postbackPost(t, body, 'application/x-www-form-urlencoded'),
        ),
      )
      for (const res of results) expect(res.status).toBe(401)
    }
    const rows = await storedLog(t)
    const metrics = await t.request('GET', '/metrics')
    const dropped = Number(/backtrack_postback_log_dropped_total (\d+)/.exec(metrics.body)?.[1])
    expect(rows.length + dropped).toBe(sent)
    // 100 a minute from one address, then 1 in 100 (a minute boundary inside the test at most
    // doubles that).
    expect(rows.length).toBeLessThanOrEqual(2 * 103)
    expect(dropped).toBeGreaterThanOrEqual(sent - 2 * 103)
    for (const row of rows) {
      expect(row.params.length).toBeLessThanOrEqual(MAX_PARAMS_CHARS)
      expect(JSON.parse(row.params).click_id).toBe(clickId)
      expect(row.message?.length ?? 0).toBeLessThanOrEqual(500)
    }
  })
})
