import { existsSync, statSync } from 'node:fs'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/engines.ts'
import { waitFor } from '../helpers/wait-for.ts'

// SQLite alone: PostgreSQL checkpoints in its own server processes.
describe('SQLite WAL checkpoints [sqlite]', () => {
  let testDb: TestDatabase
  let database: Database
  afterEach(async () => {
    await database.close()
    await testDb.drop()
  })

  async function open(): Promise<string> {
    testDb = await createTestDatabase('sqlite')
    if (testDb.config.engine !== 'sqlite') throw new Error('expected SQLite')
    database = openDatabase(testDb.config)
    return testDb.config.path
  }

  it('copies committed pages into the database file without the writing connection', async () => {
    const path = await open()
    await sql`create table filler (text text)`.execute(database.db)
    // ~2000 pages: well under the ~10 000 at which the writing connection would checkpoint itself.
    await database.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 1000; i++) {
        await sql`insert into filler values (${'x'.repeat(8000)})`.execute(tx)
      }
    })
    expect(statSync(path).size).toBeLessThan(1_000_000)
    await waitFor(() => statSync(path).size > 7_000_000, {
      timeoutMs: 5000,
      message: 'the checkpointer to copy the pages into the database file',
    })
  })

  it('closes twice without waiting forever, and leaves no WAL behind', async () => {
    const path = await open()
    await sql`create table t (x integer)`.execute(database.db)
    await database.close()
    await database.close()
    expect(existsSync(`${path}-wal`)).toBe(false)
  })
})
