import { afterEach, beforeEach, expect, it } from 'vitest'
import { groupCommit } from '../../src/conversions/group-commit.ts'
import type { Db } from '../../src/db/database.ts'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/engines.ts'

describeEachEngine('group commit', (engine) => {
  let testDb: TestDatabase
  let database: Database
  beforeEach(async () => {
    testDb = await createTestDatabase(engine)
    database = openDatabase(testDb.config)
    await migrateToLatest(database.db, engine)
  })
  afterEach(async () => {
    await database.close()
    await testDb.drop()
  })

  const setting = (key: string) => ({ key, value: 'v' })

  /** A batch writer that runs each call's own work in turn, as the postback writer does per table. */
  type Work = (tx: Db) => Promise<number>
  const runEach = async (tx: Db, _effects: unknown, works: Work[]) => {
    const results: number[] = []
    for (const work of works) results.push(await work(tx))
    return results
  }

  it('commits calls that arrive together in one batch, each with its own result', async () => {
    const transact = groupCommit(database.db, runEach)
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        transact(async (tx: Db) => {
          await tx
            .insertInto('settings')
            .values(setting(`k${i}`))
            .execute()
          return i
        }),
      ),
    )
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i))
    const rows = await database.db
      .selectFrom('settings')
      .select('key')
      .where('key', 'like', 'k%')
      .execute()
    expect(rows).toHaveLength(20)
  })

  it('a call that throws fails alone: the others of its batch still commit', async () => {
    const transact = groupCommit(database.db, runEach)
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        transact(async (tx: Db) => {
          await tx
            .insertInto('settings')
            .values(setting(`b${i}`))
            .execute()
          // The fifth call breaks a constraint after its insert, as an unexpected failure would.
          if (i === 4) await tx.insertInto('settings').values(setting('b0')).execute()
          return i
        }),
      ),
    )
    expect(outcomes.map((outcome) => outcome.status)).toEqual(
      Array.from({ length: 10 }, (_, i) => (i === 4 ? 'rejected' : 'fulfilled')),
    )
    const keys = (
      await database.db.selectFrom('settings').select('key').where('key', 'like', 'b%').execute()
    ).map((row) => row.key)
    expect(keys.sort()).toEqual(['b0', 'b1', 'b2', 'b3', 'b5', 'b6', 'b7', 'b8', 'b9'])
  })
})
