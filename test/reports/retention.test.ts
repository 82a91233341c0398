import { afterEach, beforeEach, expect, it } from 'vitest'
import { insertClickRows } from '../../src/clicks/insert-click-rows.ts'
import { applyRollups, purgeExpired, recordLiveEvents } from '../../src/reports/index.ts'
import { queuedClick } from '../helpers/clicks.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'

const DAY = 86_400_000

describeEachEngine('retention', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine)
  })
  afterEach(() => t.close())

  it('deletes only raw clicks past the retention, in batches, and keeps rollups', async () => {
    const db = t.server.database.db
    const now = Date.now()
    const click = (id: string, age: number) =>
      queuedClick({ clickId: id, clickedAt: now - age, ip: '203.0.113.1' })
    const old = Array.from({ length: 2500 }, (_, i) => click(`old${i}`, 91 * DAY + i))
    await insertClickRows(db, [...old, click('edge', 89 * DAY), click('new', 0)])
    await applyRollups(db, [
      {
        at: now - 91 * DAY,
        offerId: 1,
        affiliateId: 1,
        currency: 'USD',
        values: {},
        counts: { clicks: 2500 },
      },
    ])
    await recordLiveEvents(db, [
      { kind: 'click', affiliateId: 1, at: now - 2 * DAY, data: {} },
      { kind: 'click', affiliateId: 1, at: now, data: {} },
    ])

    expect(await purgeExpired(db, 90, now)).toBe(2500)
    const left = await db.selectFrom('clicks').select('click_id').orderBy('click_id').execute()
    expect(left.map((row) => row.click_id)).toEqual(['edge', 'new'])
    const rollup = await db.selectFrom('rollup_lean').select('clicks').execute()
    expect(rollup.map((row) => Number(row.clicks))).toEqual([2500])
    expect(await db.selectFrom('live_events').select('id').execute()).toHaveLength(1)
    expect(await purgeExpired(db, 90, now)).toBe(0)
  })
})
