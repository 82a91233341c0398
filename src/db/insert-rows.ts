import { CompiledQuery } from 'kysely'
import type { Db } from './database.ts'
import { engineOf } from './engine-of.ts'

export interface RowsInsert {
  table: string
  columns: readonly string[]
  /** Rows that hit a unique key are skipped (`on conflict do nothing`) instead of failing. */
  skipConflicts?: boolean
  /** Counters: a row whose `keys` exist adds its `columns` to the stored row's. */
  addOnConflict?: { keys: readonly string[]; columns: readonly string[] }
  /** Columns returned for each inserted row. */
  returning?: readonly string[]
}

// Both engines take far more parameters than this (SQLite 32 766, PostgreSQL 65 535).
const MAX_PARAMETERS = 30_000
const KEPT_ROW_COUNTS = 256

/**
 * Inserts (or, for counters, upserts) many rows, as few statements as the parameter limit
 * allows, and returns the `returning` columns of the rows inserted. A group-commit batch writes
 * fifty postbacks' rows per table this way: one round trip to PostgreSQL instead of fifty, and on
 * SQLite no kysely building per row. The SQL text is made once per row count and kept (up to
 * KEPT_ROW_COUNTS rows: batches are smaller, and a rare huge one should not stay in memory).
 */
export function rowsInserter<Row>(
  insert: RowsInsert,
): (db: Db, rows: ReadonlyArray<ReadonlyArray<unknown>>) => Promise<Row[]> {
  const texts = new Map<string, string>()
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / insert.columns.length))
  return async (db, rows) => {
    const engine = engineOf(db)
    const inserted: Row[] = []
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement)
      const key = `${engine}:${chunk.length}`
      let text = texts.get(key)
      if (text === undefined) {
        text = insertSql(insert, chunk.length, engine === 'postgres')
        if (chunk.length <= KEPT_ROW_COUNTS) texts.set(key, text)
      }
      const result = await db.executeQuery<Row>(CompiledQuery.raw(text, chunk.flat()))
      inserted.push(...result.rows)
    }
    return inserted
  }
}

function insertSql(insert: RowsInsert, rowCount: number, numbered: boolean): string {
  const width = insert.columns.length
  const tuples: string[] = []
  for (let row = 0; row < rowCount; row++) {
    const marks = Array.from({ length: width }, (_, i) =>
      numbered ? `$${row * width + i + 1}` : '?',
    )
    tuples.push(`(${marks.join(', ')})`)
  }
  const quote = (name: string) => `"${name}"`
  const add = insert.addOnConflict
  const table = quote(insert.table)
  return [
    `insert into ${table} (${insert.columns.map(quote).join(', ')})`,
    `values ${tuples.join(', ')}`,
    insert.skipConflicts ? 'on conflict do nothing' : '',
    add
      ? `on conflict (${add.keys.map(quote).join(', ')}) do update set ${add.columns
          .map((c) => `${quote(c)} = ${table}.${quote(c)} + excluded.${quote(c)}`)
          .join(', ')}`
      : '',
    insert.returning?.length ? `returning ${insert.returning.map(quote).join(', ')}` : '',
  ].join(' ')
}

/**
 * Chunks of 256, 128, … 1 items. SQLite caches prepared statements by their text: a batch of any
 * size then needs at most nine statement shapes instead of one per size.
 */
export function powerOfTwoChunks<T>(items: readonly T[]): T[][] {
  const chunks: T[][] = []
  let start = 0
  for (let size = 256; size >= 1; size /= 2) {
    while (items.length - start >= size) {
      chunks.push(items.slice(start, start + size))
      start += size
    }
  }
  return chunks
}
