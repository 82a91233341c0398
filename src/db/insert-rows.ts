import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { CompiledQuery } from 'kysely'
import { type Db, sqliteConnectionOf } from './database.ts'
import { engineOf } from './engine-of.ts'
import { preparedSql } from './prepared-statements.ts'
import { toSqliteValue } from './sqlite-driver.ts'

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
   * PostgreSQL: run the statements as named prepared statements (`preparedSql`), parsed and
   * planned once per connection. Only for callers whose row counts come from a small set (the
   * power-of-two chunks of `powerOfTwoChunks`): each count is a statement of its own.
   */
  prepare?: boolean
}

// Both engines take far more parameters than this (SQLite 32 766, PostgreSQL 65 535).
const MAX_PARAMETERS = 30_000
const KEPT_ROW_COUNTS = 256

/**
 * Inserts (or, for counters, upserts) many rows and returns the `returning` columns of the rows
 * inserted, in the order given. A group-commit batch writes fifty postbacks' or a thousand
 * clicks' rows per table this way.
 *
 * On PostgreSQL, as few statements as the parameter limit allows: one round trip instead of one
 * per row. The SQL text is made once per row count and kept (up to KEPT_ROW_COUNTS rows: batches
 * are smaller, and a rare huge one should not stay in memory).
 *
 * On SQLite inside a transaction, one prepared single-row statement run per row on the
 * connection itself: no round trips to save, and a multi-row statement costs more. Binding
 * thousands of parameters at once, and the statement journal SQLite keeps so a multi-row
 * statement can undo itself, made a batch of clicks a third slower. Outside a transaction,
 * where per-row statements would each commit, the multi-row path is used on SQLite too.
 */
export function rowsInserter<Row>(
  insert: RowsInsert,
): (db: Db, rows: ReadonlyArray<ReadonlyArray<unknown>>) => Promise<Row[]> {
  const texts = new Map<string, string>()
  const singleRow = new WeakMap<DatabaseSync, StatementSync>()
  const returned = returnedFrom(insert)
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / insert.columns.length))
  return async (db, rows) => {
    const connection = sqliteConnectionOf(db)
    if (connection) {
      let statement = singleRow.get(connection)
      if (!statement) {
        statement = connection.prepare(
          insertSql(returned === 'by-statement' ? insert : { ...insert, returning: [] }, 1, false),
        )
        singleRow.set(connection, statement)
      }
      return insertEach<Row>(statement, rows, returned)
    }
    const engine = engineOf(db)
    const inserted: Row[] = []
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement)
      const key = `${engine}:${chunk.length}`
      let text = texts.get(key)
      if (text === undefined) {
        text = insertSql(insert, chunk.length, engine === 'postgres')
        if (chunk.length <= KEPT_ROW_COUNTS) {
          texts.set(key, insert.prepare && engine === 'postgres' ? preparedSql(text) : text)
        }
      }
      const result = await db.executeQuery<Row>(CompiledQuery.raw(text, chunk.flat()))
      inserted.push(...result.rows)
    }
    return inserted
  }
}

function insertEach<Row>(
  statement: StatementSync,
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  returned: Returned,
): Row[] {
  const inserted: Row[] = []
  for (const row of rows) {
    const values = row.map(toSqliteValue)
    if (returned === 'nothing') statement.run(...values)
    else if (returned === 'by-statement') {
      // A row skipped by `on conflict do nothing` returns nothing.
      const returnedRow = statement.get(...values)
      if (returnedRow !== undefined) inserted.push(returnedRow as Row)
    } else if (statement.run(...values).changes > 0) {
      inserted.push(Object.fromEntries(returned.map(([name, at]) => [name, row[at]])) as Row)
    }
  }
  return inserted
}

/**
 * How the single-row statement tells what it inserted: nothing asked; `returning`, for columns
 * the database makes; or, when every returned column is one the row gives, the row itself for
 * each statement that changed a row. A `returning` clause made each insert a third dearer.
 */
type Returned = 'nothing' | 'by-statement' | Array<[name: string, at: number]>

function returnedFrom(insert: RowsInsert): Returned {
  if (!insert.returning?.length) return 'nothing'
  const given = insert.returning.map((name): [string, number] => [
    name,
    insert.columns.indexOf(name),
  ])
  return given.every(([, at]) => at >= 0) ? given : 'by-statement'
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
