import { sql } from 'kysely'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { insertClickRows } from '../../src/clicks/insert-click-rows.ts'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { queuedClick } from '../helpers/clicks.ts'
import { createTestDatabase, describePostgres, type TestDatabase } from '../helpers/engines.ts'

describePostgres('prepared hot-path statements', () => {
  let testDb: TestDatabase
  let database: Database
  beforeEach(async () => {
    testDb = await createTestDatabase('postgres')
    // One connection, so the session that ran a statement is the one asked what it prepared.
    database = openDatabase(testDb.config, { poolSize: 1 })
    await migrateToLatest(database.db, database.engine)
  })
  afterEach(async () => {
    await database.close()
    await testDb.drop()
  })

  const prepared = async () => {
    const { rows } = await sql<{ name: string; statement: string }>`
      select name, statement from pg_prepared_statements`.execute(database.db)
    return rows
  }

  it('prepares the delivery claim once per connection and reuses it', async () => {
    const claim = { workerId: 'w', now: Date.now(), leaseMs: 1000, limit: 10, skipEndpoints: [] }
    await database.claimDeliveries(claim)
    await database.claimDeliveries({ ...claim, skipEndpoints: [1, 2] })
    const claims = (await prepared()).filter((row) => row.statement.includes('skip locked'))
    expect(claims).toHaveLength(1)
    expect(claims[0]!.name).toMatch(/^bt_\d+$/)
  })

  it('plans the claim once, as a walk of the due-index in run_at order', async () => {
    const claim = { workerId: 'w', now: Date.now(), leaseMs: 1000, limit: 10, skipEndpoints: [] }
    await database.claimDeliveries(claim)
    const [statement] = (await prepared()).filter((row) => row.statement.includes('skip locked'))
    const { rows } = await sql<{ 'QUERY PLAN': string }>`
      explain (costs off) execute ${sql.id(statement!.name)}('w', 1, 1, '{}', 10)`.execute(
      database.db,
    )
    const plan = rows.map((row) => row['QUERY PLAN']).join('\n')
    expect(plan).toContain('Index Scan using deliveries_due on deliveries')
    // A generic plan keeps the parameter; a custom one would show the value.
    expect(plan).toMatch(/run_at <= \$3/)
  })

  it('runs prepared texts with new arguments and leaves other texts unprepared', async () => {
    const text = 'select $1::int + $2::int as sum'
    const sum = (a: number, b: number) =>
      database.runPrepared<{ sum: number }>(database.db, text, [a, b])
    expect(await sum(2, 3)).toEqual([{ sum: 5 }])
    expect(await sum(40, 2)).toEqual([{ sum: 42 }])
    await sql`select ${7}::int as seven`.execute(database.db)
    const statements = (await prepared()).map((row) => row.statement)
    expect(statements).toContain(text)
    expect(statements.some((statement) => statement.includes('seven'))).toBe(false)
  })

  it('prepares the click batch insert once per chunk size', async () => {
    const click = (i: number) => queuedClick({ clickId: `click-${i}-${'x'.repeat(20)}` })
    const insert = (from: number, count: number) =>
      database.db.transaction().execute((tx) =>
        insertClickRows(
          tx,
          Array.from({ length: count }, (_, i) => click(from + i)),
        ),
      )
    expect(await insert(0, 4)).toHaveLength(4)
    expect(await insert(4, 4)).toHaveLength(4)
    // A chunk of clicks already stored inserts none and says so.
    expect(await insert(0, 4)).toEqual([])
    expect(await insert(8, 2)).toHaveLength(2)
    const inserts = (await prepared()).filter((row) =>
      row.statement.startsWith('insert into "clicks"'),
    )
    expect(inserts).toHaveLength(2)
  })
})
