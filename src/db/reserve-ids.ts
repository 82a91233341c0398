import { sql } from 'kysely'
import type { Db } from './database.ts'
import { engineOf } from './engine-of.ts'
import type { Schema } from './schema.ts'

/**
 * Takes `count` fresh ids of `table`'s auto-assigned key, ascending, for rows inserted with their
 * id given: a multi-row insert that skips conflicts then says by id which of its rows went in,
 * where the order of `returning` rows would be a guess. PostgreSQL draws them from the identity
 * sequence. SQLite reads its autoincrement counter, which only the caller's transaction may move
 * (it holds the write lock from `begin immediate`); inserting the ids moves it past them. An id
 * reserved but not used (its row was a duplicate) may be handed out again: no row ever had it.
 */
export async function reserveIds(tx: Db, table: keyof Schema, count: number): Promise<number[]> {
  if (count === 0) return []
  if (engineOf(tx) === 'postgres') {
    const { rows } = await sql<{ id: number }>`
      select nextval(pg_get_serial_sequence(${table}, 'id')) as id from generate_series(1, ${count})
    `.execute(tx)
    return rows.map((row) => Number(row.id)).sort((a, b) => a - b)
  }
  const { rows } = await sql<{ seq: number }>`
    select seq from sqlite_sequence where name = ${table}
  `.execute(tx)
  const last = Number(rows[0]?.seq ?? 0)
  return Array.from({ length: count }, (_, i) => last + i + 1)
}
