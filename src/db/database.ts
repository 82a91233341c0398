import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely'
import pg from 'pg'
import type { DatabaseConfig } from '../config.ts'
import { usePreparedStatements } from './prepared-statements.ts'
import type { Engine, Schema } from './schema.ts'
import { adaptNodeSqlite } from './sqlite-driver.ts'
import { startWalCheckpointer } from './wal-checkpointer.ts'

export type Db = Kysely<Schema>

export interface Database {
  db: Db
  engine: Engine
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>
  close(): Promise<void>
}

const INT8_OID = 20

// A handle's adapter is shared by its transactions, so it finds the connection from either.
const sqliteConnections = new WeakMap<object, DatabaseSync>()

/**
 * The node:sqlite connection under a transaction's handle on SQLite, for hot-path writes that
 * kysely's per-query work would dominate (`rowsInserter`); undefined on PostgreSQL and outside a
 * transaction. A transaction holds the connection, so no other query can run in between.
 */
export function sqliteConnectionOf(tx: Db): DatabaseSync | undefined {
  return tx.isTransaction ? sqliteConnections.get(tx.getExecutor().adapter) : undefined
}

export interface OpenOptions {
  /** PostgreSQL connections at most (10 by default). */
  poolSize?: number
  /**
   * SQLite: checkpoint the WAL from a thread of its own (true by default). A second connection
   * to a file whose first one has the checkpointer, off the event loop already, needs none.
   */
  walCheckpointer?: boolean
}

/** Opens the configured engine. Nothing outside db/ needs to know which one it got. */
export function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Database {
  const { db, stop } =
    config.engine === 'sqlite'
      ? openSqlite(config.path, options.walCheckpointer ?? true)
      : { db: openPostgres(config, options.poolSize), stop: null }
  return {
    db,
    engine: config.engine,
    ping: async () => {
      await sql`select 1`.execute(db)
    },
    close: async () => {
      await stop?.()
      await db.destroy()
    },
  }
}

function openSqlite(
  path: string,
  walCheckpointer: boolean,
): { db: Db; stop: (() => Promise<void>) | null } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const database = new DatabaseSync(path, { timeout: 5000 })
  // WAL lets readers run beside the writer; NORMAL keeps every commit across a process crash
  // (the WAL is in the OS page cache) without an fsync per commit. See docs/decisions.md.
  database.exec('pragma journal_mode = wal')
  database.exec('pragma synchronous = normal')
  database.exec('pragma foreign_keys = on')
  // A multi-row statement inside a transaction keeps a statement journal (to undo just itself);
  // past 64 kB SQLite spills it to a temporary file, which a click batch's inserts always did.
  database.exec('pragma temp_store = memory')
  const checkpointer =
    path === ':memory:' || !walCheckpointer ? null : startWalCheckpointer(database, path)
  const db = new Kysely<Schema>({
    dialect: new SqliteDialect({ database: adaptNodeSqlite(database) }),
  })
  sqliteConnections.set(db.getExecutor().adapter, database)
  return { db, stop: checkpointer && (() => checkpointer.stop()) }
}

function openPostgres(config: { url: string; schema?: string }, poolSize = 10): Db {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: poolSize,
    // int8 columns hold epoch milliseconds and minor units, all far below 2^53.
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
    // JIT compiling a report's aggregate costs more than running it: our queries are short.
    // Statements prepared by name (preparedSql) are planned once, not once per run: a custom
    // plan per run of a delivery claim cost as much as a third of running it. Unnamed statements
    // are planned with their values whatever this says.
    options: [
      '-c jit=off',
      '-c plan_cache_mode=force_generic_plan',
      ...(config.schema ? [`-c search_path=${config.schema}`] : []),
    ].join(' '),
  })
  pool.on('connect', usePreparedStatements)
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) })
}
