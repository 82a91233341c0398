import { setTimeout as sleep } from 'node:timers/promises'
import type { DatabaseConfig } from '../config.ts'
import { StartupError } from '../shared/startup-error.ts'
import { checkSqlitePath } from './check-sqlite-path.ts'
import { type Database, type OpenOptions, openDatabase } from './database.ts'
import { type WaitOptions, waitForDatabase } from './wait-for-database.ts'

/**
 * Opens the configured database once it answers: the SQLite path checked first, PostgreSQL waited
 * for. Whatever stands in the way becomes a one-line StartupError naming the path or host.
 */
export async function connectDatabase(
  config: DatabaseConfig,
  wait: WaitOptions,
  options: OpenOptions = {},
): Promise<Database> {
  if (config.engine === 'sqlite') checkSqlitePath(config.path)
  let database: Database
  try {
    database = openDatabase(config, options)
  } catch (error) {
    if (config.engine !== 'sqlite') throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new StartupError(`cannot open the SQLite database ${config.path}: ${reason}`)
  }
  try {
    await waitForDatabase(database, config, wait)
    return database
  } catch (error) {
    // The start-up error is what the operator needs; a connection attempt still hanging towards
    // a host that drops packets must not hold it back, nor a failure to close replace it.
    await Promise.race([database.close().catch(() => {}), sleep(1000)])
    throw error
  }
}
