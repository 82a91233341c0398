import type { DatabaseConfig } from '../config.ts'
import { openPostgresStorage } from './postgres-storage.ts'
import { openSqliteStorage } from './sqlite-storage.ts'
import type { Storage } from './storage.ts'

export type { Db } from './storage.ts'

/** The open database: the kysely handle and the named operations of `Storage`. */
export type Database = Storage

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
  return config.engine === 'sqlite'
    ? openSqliteStorage(config.path, options.walCheckpointer ?? true, config.lockTimeoutMs)
    : openPostgresStorage(config, options.poolSize)
}

/**
 * Whether a second connection (another thread's) sees the same database as the first: not so
 * for an in-memory SQLite database, which exists only inside the connection that made it.
 */
export function canConnectAgain(config: DatabaseConfig): boolean {
  return !(config.engine === 'sqlite' && config.path === ':memory:')
}
