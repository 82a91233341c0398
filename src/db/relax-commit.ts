import { sql } from 'kysely'
import type { Db } from './database.ts'
import type { Engine } from './schema.ts'

/**
 * Lets the current transaction commit without waiting for its WAL flush (PostgreSQL
 * `synchronous_commit = off`). Only for writes whose loss in a crash is harmless, such as
 * delivery results: a lost result means the delivery is sent again under the same event id.
 * SQLite already runs with `synchronous = normal`, so there is nothing to relax.
 */
export async function relaxCommit(tx: Db, engine: Engine): Promise<void> {
  if (engine === 'postgres') await sql`set local synchronous_commit = off`.execute(tx)
}
