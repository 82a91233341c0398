import { sql } from 'kysely'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { ddlFor } from '../../src/db/ddl.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { MIGRATIONS } from '../../src/db/migrations/index.ts'
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/engines.ts'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

describeEachEngine('migration 0006 (longer rollup buckets)', (engine) => {
  let testDb: TestDatabase
  let database: Database
  beforeEach(async () => {
    testDb = await createTestDatabase(engine)
    database = openDatabase(testDb.config)
  })
  afterEach(async () => {
    await database.close()
    await testDb.drop()
  })

  it('fills the 4-hour, 4-day and 16-day buckets from the hourly rows already there', async () => {
    const { db } = database
    // A database as the release before it left it, with hourly counts in it.
    const before = MIGRATIONS.slice(
      0,
      MIGRATIONS.findIndex((m) => m.name.startsWith('0006')),
    )
    await sql`create table backtrack_migrations (name varchar(255) primary key, timestamp varchar(255) not null)`.execute(
      db,
    )
    for (const migration of before) {
      for (const statement of migration.statements(ddlFor(engine)))
        await sql.raw(statement).execute(db)
      await db
        .insertInto('backtrack_migrations' as never)
        .values({ name: migration.name, timestamp: '' } as never)
        .execute()
    }
    const start = Date.UTC(2026, 2, 1)
    const hourly = Array.from({ length: 24 * 40 }, (_, hour) => ({
      bucket: start + hour * HOUR_MS,
      offer_id: 1 + (hour % 2),
      affiliate_id: 7,
      goal: hour % 3 === 0 ? 'default' : '',
      currency: 'USD',
      clicks: hour,
      unique_clicks: 1,
      conversions: hour % 5,
      pending_conversions: 0,
      rejected_conversions: 2,
      revenue: 1000 + hour,
      payout: 10,
    }))
    for (let i = 0; i < hourly.length; i += 100) {
      await db
        .insertInto('rollup_lean')
        .values(hourly.slice(i, i + 100))
        .execute()
    }

    expect(await migrateToLatest(db, engine)).toContain('0006-longer-rollup-buckets')

    for (const [table, bucketMs] of [
      ['rollup_lean_4h', 4 * HOUR_MS],
      ['rollup_lean_4d', 4 * DAY_MS],
      ['rollup_lean_16d', 16 * DAY_MS],
    ] as const) {
      const want = new Map<string, { clicks: number; revenue: number; conversions: number }>()
      for (const row of hourly) {
        const key = `${Math.floor(row.bucket / bucketMs) * bucketMs} ${row.offer_id} ${row.goal}`
        const sums = want.get(key) ?? { clicks: 0, revenue: 0, conversions: 0 }
        sums.clicks += row.clicks
        sums.revenue += row.revenue
        sums.conversions += row.conversions
        want.set(key, sums)
      }
      const rows = await db.selectFrom(table).selectAll().execute()
      const got = new Map(
        rows.map((row) => [
          `${row.bucket} ${row.offer_id} ${row.goal}`,
          { clicks: row.clicks, revenue: row.revenue, conversions: row.conversions },
        ]),
      )
      expect(got, table).toEqual(want)
    }
  })
})
