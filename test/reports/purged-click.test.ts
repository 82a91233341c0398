import { afterEach, beforeEach, expect, it } from 'vitest'
import {
  conversionCount,
  lastLogLine,
  mintClickId,
  postbackGet,
  setUp,
} from '../conversions/postback-helpers.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'

const DAY_MS = 86_400_000

describeEachEngine('a conversion for a purged click', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine, { BACKTRACK_CLICK_RETENTION_DAYS: '2' })
  })
  afterEach(() => t.close())

  it('is refused with 410 click_purged once the click is past the retention, inside the window', async () => {
    const { offer, affiliate, token } = await setUp(t, { conversion_window_days: 30 })
    const old = await mintClickId(t, offer.id, affiliate.id, Date.now() - 3 * DAY_MS)
    const res = await postbackGet(t, { click_id: old, txid: 'late', token })
    expect(res.status).toBe(410)
    expect(res.body.error.code).toBe('click_purged')
    expect(res.body.error.message).toContain('2-day click retention')
    expect(await conversionCount(t)).toBe(0)
    expect(await lastLogLine(t)).toMatchObject({ reason: 'click_purged' })

    const recent = await mintClickId(t, offer.id, affiliate.id, Date.now() - DAY_MS)
    const accepted = await postbackGet(t, { click_id: recent, txid: 'recent', token })
    expect(accepted.status).toBe(200)
    expect(accepted.body.result).toBe('accepted')
  })
})
