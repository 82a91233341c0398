import { closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { CompiledQuery, Kysely, SqliteAdapter, SqliteDialect, sql } from 'kysely'
import { sqliteDeliveries } from './delivery-queries.ts'
import { multiRowInserter, type RowsInsert } from './insert-rows.ts'
import type { Schema } from './schema.ts'
import { adaptNodeSqlite } from './sqlite-driver.ts'
import { sqliteRowInserter } from './sqlite-row-inserter.ts'
import type { Db, Storage, StorageAdapter } from './storage.ts'
import { startWalCheckpointer } from './wal-checkpointer.ts'
import { WriteHealth } from './write-health.ts'

/** How long a statement waits for another connection's write lock before SQLITE_BUSY. */
export const DEFAULT_LOCK_TIMEOUT_MS = 5000

class SqliteStorageAdapter extends SqliteAdapter implements StorageAdapter {
  storage?: Storage
}

/**
 * SQLite through node:sqlite: one connection, owned here, which kysely drives for ordinary
 * queries and the batch insert uses directly inside a transaction.
 */
export function openSqliteStorage(
  path: string,
  walCheckpointer: boolean,
  lockTimeoutMs = DEFAULT_LOCK_TIMEOUT_MS,
): Storage {
  if (path !== ':memory:') {
    // Owner only: the file holds API key hashes, click data and signing secrets. SQLite gives
    // the -wal and -shm files the mode of the database file, so creating it 0600 covers them.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    closeSync(openSync(path, 'a', 0o600))
  }
  const connection = new DatabaseSync(path, { timeout: lockTimeoutMs })
  // WAL lets readers run beside the writer; NORMAL keeps every commit across a process crash
  // (the WAL is in the OS page cache) without an fsync per commit. See docs/decisions.md.
  connection.exec('pragma journal_mode = wal')
  connection.exec('pragma synchronous = normal')
  connection.exec('pragma foreign_keys = on')
  // A multi-row statement inside a transaction keeps a statement journal (to undo just itself);
  // past 64 kB SQLite spills it to a temporary file, which a click batch's inserts always did.
  connection.exec('pragma temp_store = memory')
  const checkpointer =
    path === ':memory:' || !walCheckpointer ? null : startWalCheckpointer(connection, path)
  const adapter = new SqliteStorageAdapter()
  const health = new WriteHealth()
  const dialect = new SqliteDialect({ database: adaptNodeSqlite(connection, health) })
  const db = new Kysely<Schema>({
    dialect: {
      createAdapter: () => adapter,
      createDriver: () => dialect.createDriver(),
      createIntrospector: (db) => dialect.createIntrospector(db),
      createQueryCompiler: () => dialect.createQueryCompiler(),
    },
  })
  const ownHandle = (tx: Db) => {
    if (tx.getExecutor().adapter !== adapter) throw new Error('a handle of another database')
  }
  const insertEach = sqliteRowInserter(connection)
  // Outside a transaction, where per-row statements would each commit.
  const insertMany = multiRowInserter({ numbered: false })
  const storage: Storage = {
    db,
    engine: 'sqlite',
    health,
    ping: async () => {
      await sql`select 1`.execute(db)
    },
    close: async () => {
      await checkpointer?.stop()
      await db.destroy()
    },
    async insertRows<Row>(tx: Db, insert: RowsInsert, rows: ReadonlyArray<ReadonlyArray<unknown>>) {
      if (!tx.isTransaction) return insertMany<Row>(tx, insert, rows)
      ownHandle(tx)
      try {
        return insertEach<Row>(insert, rows)
      } catch (error) {
        health.failed(error)
        throw error
      }
    },
    // The autoincrement counter, which only the caller's transaction may move (it holds the
    // write lock from `begin immediate`); inserting the ids moves it past them.
    async reserveIds(tx, table, count) {
      if (count === 0) return []
      const { rows } = await sql<{ seq: number }>`
        select seq from sqlite_sequence where name = ${table}
      `.execute(tx)
      const last = Number(rows[0]?.seq ?? 0)
      return Array.from({ length: count }, (_, i) => last + i + 1)
    },
    lockForUpdate: (query) => query,
    // The driver keeps statements prepared by their text already.
    async runPrepared<Row>(tx: Db, text: string, parameters: readonly unknown[]) {
      return (await tx.executeQuery<Row>(CompiledQuery.raw(text, parameters as unknown[]))).rows
    },
    ...sqliteDeliveries(db),
  }
  adapter.storage = storage
  return storage
}
