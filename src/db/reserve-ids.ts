import type { Schema } from './schema.ts'
import { type Db, storageOf } from './storage.ts'

/**
 * Takes `count` fresh ids of `table`'s auto-assigned key, ascending, for rows inserted with their
 * id given: a multi-row insert that skips conflicts then says by id which of its rows went in,
 * where the order of `returning` rows would be a guess. PostgreSQL draws them from the identity
 * sequence; SQLite reads its autoincrement counter, which only the caller's transaction may move.
 * An id reserved but not used (its row was a duplicate) may be handed out again: no row ever had
 * it.
 */
export function reserveIds(tx: Db, table: keyof Schema, count: number): Promise<number[]> {
  return storageOf(tx).reserveIds(tx, table, count)
}
