import { CompiledQuery } from 'kysely'
import type { Db } from '../db/database.ts'
import type { ClicksTable } from '../db/tables/clicks.ts'

type ClickRow = ClicksTable

// Building and compiling a 256-row insert through kysely's query builder costs more CPU than
// SQLite takes to run it, on the same thread as the redirects. So each chunk size is compiled
// once per database and then run with fresh parameters.
const compiledInserts = new WeakMap<Db, Map<number, string>>()

/** Inserts click rows, skipping ids already stored; returns the ids it did insert. */
export async function insertClickRows(db: Db, tx: Db, rows: ClickRow[]): Promise<string[]> {
  const parameters = rows.flatMap((row) => Object.values(row))
  const sql = compiledInsert(db, rows, parameters)
  const result = await tx.executeQuery<{ click_id: string }>(CompiledQuery.raw(sql, parameters))
  return result.rows.map((row) => row.click_id)
}

function compiledInsert(db: Db, rows: ClickRow[], parameters: unknown[]): string {
  const bySize = compiledInserts.get(db) ?? new Map<number, string>()
  compiledInserts.set(db, bySize)
  const known = bySize.get(rows.length)
  if (known) return known
  const query = db
    .insertInto('clicks')
    .values(rows)
    .onConflict((conflict) => conflict.column('click_id').doNothing())
    .returning('click_id')
    .compile()
  // Reuse relies on kysely binding values row by row in column order; check that it does.
  const same =
    query.parameters.length === parameters.length &&
    query.parameters.every((value, i) => value === parameters[i])
  if (!same) throw new Error('click insert parameters are not in row order')
  bySize.set(rows.length, query.sql)
  return query.sql
}
