import { PostgresAdapter } from 'kysely'
import type { Db } from './database.ts'
import type { Engine } from './schema.ts'

/** The engine behind a handle (a transaction included), for the few queries whose SQL differs. */
export function engineOf(db: Db): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
}
