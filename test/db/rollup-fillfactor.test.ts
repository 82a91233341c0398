import { sql } from 'kysely'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { TIERS } from '../../src/reports/rollup-tiers.ts'
import { createTestDatabase, describePostgres, type TestDatabase } from '../helpers/engines.ts'

describePostgres('rollup table storage', () => {
  let testDb: TestDatabase
  let database: Database
  beforeEach(async () => {
    testDb = await createTestDatabase('postgres')
    database = openDatabase(testDb.config)
    await migrateToLatest(database.db, database.engine)
  })
  afterEach(async () => {
    await database.close()
    await testDb.drop()
  })

  it('leaves room on every rollup page for updated rows (fillfactor 70)', async () => {
    const { rows } = await sql<{ relname: string; reloptions: string[] | null }>`
      select relname, reloptions from pg_class
      where relkind = 'r' and relnamespace = to_regnamespace(current_schema())
        and relname like 'rollup%'
    `.execute(database.db)
    const options = Object.fromEntries(rows.map((row) => [row.relname, row.reloptions]))
    // Every tier the reports write, so a new tier cannot be added without its storage setting.
    expect(Object.keys(options).sort()).toEqual(TIERS.map((tier) => tier.table).sort())
    for (const tier of TIERS) expect(options[tier.table]).toEqual(['fillfactor=70'])
  })
})
