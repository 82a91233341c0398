import { afterEach, beforeEach, expect, it } from 'vitest'
import type { Cap } from '../../src/catalog/index.ts'
import { storeClicks } from '../../src/clicks/store-clicks.ts'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { ClickCaps } from '../../src/fraud/index.ts'
import { queuedClick } from '../helpers/clicks.ts'
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/engines.ts'

const NEW_YORK = 'America/New_York'
const TOKYO = 'Asia/Tokyo'

function offer(timeZone: string, ...caps: Array<Partial<Cap>>) {
  return {
    id: 7,
    timeZone,
    clickCaps: caps.map((cap) => ({
      metric: 'clicks' as const,
      period: 'day' as const,
      limit: 2,
      affiliateId: null,
      ...cap,
    })),
  }
}

describeEachEngine('click caps', (engine) => {
  let testDb: TestDatabase
  let database: Database
  beforeEach(async () => {
    testDb = await createTestDatabase(engine)
    database = openDatabase(testDb.config)
    await migrateToLatest(database.db, database.engine)
  })
  afterEach(async () => {
    await database.close()
    await testDb.drop()
  })

  /** Takes clicks at `at` until one is refused; how many went through. */
  function takeAll(caps: ClickCaps, capped: ReturnType<typeof offer>, at: string, affiliate = 1) {
    let taken = 0
    while (caps.take(capped, affiliate, Date.parse(at), true)) taken++
    return taken
  }

  it('counts a day in the offer time zone, across midnight and a DST change', async () => {
    const caps = new ClickCaps(database.db)
    const capped = offer(NEW_YORK, { period: 'day', limit: 2 })
    // 2026-03-07 23:30 in New York (EST); the next day starts summer time at 02:00.
    await caps.prepare([capped], Date.parse('2026-03-08T04:30:00Z'))
    expect(takeAll(caps, capped, '2026-03-08T04:30:00Z')).toBe(2)
    expect(caps.take(capped, 1, Date.parse('2026-03-08T04:59:59Z'), true)).toBe(false)
    // 00:00 on the 8th in New York is 05:00 UTC: a new day.
    expect(takeAll(caps, capped, '2026-03-08T05:00:00Z')).toBe(2)
    // 23:59 on the 8th is 03:59 UTC the next day (EDT now).
    expect(caps.take(capped, 1, Date.parse('2026-03-09T03:59:00Z'), true)).toBe(false)
    expect(caps.take(capped, 1, Date.parse('2026-03-09T04:00:00Z'), true)).toBe(true)
  })

  it('counts weeks from Monday and months from the 1st in the offer time zone; total never resets', async () => {
    const caps = new ClickCaps(database.db)
    const weekly = offer(TOKYO, { period: 'week', limit: 1 })
    const monthly = { ...offer(NEW_YORK, { period: 'month', limit: 1 }), id: 8 }
    const total = { ...offer(NEW_YORK, { period: 'total', limit: 1 }), id: 9 }
    const start = Date.parse('2026-01-31T14:00:00Z')
    await caps.prepare([weekly, monthly, total], start)
    // Sunday 2026-02-01 23:59 in Tokyo, then Monday 00:00.
    expect(takeAll(caps, weekly, '2026-02-01T14:59:00Z')).toBe(1)
    expect(takeAll(caps, weekly, '2026-02-01T15:00:00Z')).toBe(1)
    // 2026-01-31 23:30 in New York, then 2026-02-01 00:30.
    expect(takeAll(caps, monthly, '2026-02-01T04:30:00Z')).toBe(1)
    expect(takeAll(caps, monthly, '2026-02-01T05:30:00Z')).toBe(1)
    expect(takeAll(caps, total, '2026-02-01T04:30:00Z')).toBe(1)
    expect(takeAll(caps, total, '2027-02-01T05:30:00Z')).toBe(0)
  })

  it("applies an affiliate's cap to that affiliate alone", async () => {
    const caps = new ClickCaps(database.db)
    const capped = offer(NEW_YORK, { limit: 1, affiliateId: 2 })
    await caps.prepare([capped], Date.parse('2026-05-01T12:00:00Z'))
    expect(takeAll(caps, capped, '2026-05-01T12:00:00Z', 2)).toBe(1)
    expect(caps.take(capped, 1, Date.parse('2026-05-01T12:00:00Z'), true)).toBe(true)
  })

  it("reads other processes' committed clicks, and does not count its own twice once committed", async () => {
    const at = Date.parse('2026-05-01T12:00:00Z')
    const capped = offer(NEW_YORK, { limit: 4 })
    // Another process stored two clicks of the day, and one of another day.
    await storeClicks(database.db, [
      queuedClick({ offerId: 7, affiliateId: 1, clickedAt: at - 60_000 }),
      queuedClick({ offerId: 7, affiliateId: 3, clickedAt: at - 120_000 }),
      queuedClick({ offerId: 7, affiliateId: 1, clickedAt: at - 86_400_000 }),
      queuedClick({ offerId: 7, affiliateId: 1, clickedAt: at, blockedReason: 'country' }),
    ])
    const caps = new ClickCaps(database.db)
    let added = 0
    let settled = 0
    caps.useSequence({ added: () => added, settled: () => settled })
    await caps.prepare([capped], at)
    expect(caps.take(capped, 1, at, true)).toBe(true)
    added++
    // This process's click is committed, then the count is read again: still three, not four.
    await storeClicks(database.db, [queuedClick({ offerId: 7, affiliateId: 1, clickedAt: at })])
    settled++
    await caps.refresh()
    expect(caps.take(capped, 1, at, true)).toBe(true)
    added++
    expect(caps.take(capped, 1, at, true)).toBe(false)
  })
})
