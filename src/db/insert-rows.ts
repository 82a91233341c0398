import { CompiledQuery } from 'kysely'
import { type Db, storageOf } from './storage.ts'

export interface RowsInsert {
  table: string
  columns: readonly string[]
  /** Rows that hit a unique key are skipped (`on conflict do nothing`) instead of failing. */
  skipConflicts?: boolean
  /** Counters: a row whose `keys` exist adds its `columns` to the stored row's. */
  addOnConflict?: { keys: readonly string[]; columns: readonly string[] }
  /** Columns returned for each inserted row. */
  returning?: readonly string[]
  /**
   * PostgreSQL: run the statements as named prepared statements, parsed and planned once per
   * connection. Only for callers whose row counts come from a small set (the power-of-two chunks
   * of `powerOfTwoChunks`): each count is a statement of its own.
   */
  prepare?: boolean
}

/**
 * Inserts many rows in the caller's transaction (or on its own), through the storage behind the
 * handle: `Storage.insertRows`. A group-commit batch writes fifty postbacks' or a thousand
 * clicks' rows per table this way. `insert` must be a module constant.
 */
export function insertRows<Row = unknown>(
  tx: Db,
  insert: RowsInsert,
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
): Promise<Row[]> {
  return storageOf(tx).insertRows<Row>(tx, insert, rows)
}

// Both engines take far more parameters than this (SQLite 32 766, PostgreSQL 65 535).
const MAX_PARAMETERS = 30_000
const KEPT_ROW_COUNTS = 256

/** How one engine spells a multi-row insert of `rowCount` rows, and what it does with the text. */
export interface MultiRowStyle {
  /** `$1, $2, …` (PostgreSQL) rather than `?` (SQLite). */
  numbered: boolean
  /** Called once per kept text of an insert marked `prepare`; returns the text to run. */
  prepare?: (text: string) => string
}

/**
 * The multi-row insert: as few statements as the parameter limit allows, one round trip instead
 * of one per row. The SQL text is made once per insert and row count and kept (up to
 * KEPT_ROW_COUNTS rows: batches are smaller, and a rare huge one should not stay in memory).
 */
export function multiRowInserter(style: MultiRowStyle) {
  const texts = new WeakMap<RowsInsert, Map<number, string>>()
  return async <Row>(
    tx: Db,
    insert: RowsInsert,
    rows: ReadonlyArray<ReadonlyArray<unknown>>,
  ): Promise<Row[]> => {
    let byCount = texts.get(insert)
    if (!byCount) {
      byCount = new Map()
      texts.set(insert, byCount)
    }
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / insert.columns.length))
    const inserted: Row[] = []
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement)
      let text = byCount.get(chunk.length)
      if (text === undefined) {
        text = insertSql(insert, chunk.length, style.numbered)
        if (chunk.length <= KEPT_ROW_COUNTS) {
          if (insert.prepare && style.prepare) text = style.prepare(text)
          byCount.set(chunk.length, text)
        }
      }
      const result = await tx.executeQuery<Row>(CompiledQuery.raw(text, chunk.flat()))
      inserted.push(...result.rows)
    }
    return inserted
  }
}

export function insertSql(insert: RowsInsert, rowCount: number, numbered: boolean): string {
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
