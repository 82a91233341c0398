import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { insertSql, type RowsInsert } from './insert-rows.ts'
import { toSqliteValue } from './sqlite-driver.ts'

/**
 * SQLite's batch insert inside a transaction: one prepared single-row statement run per row on
 * the connection itself. In-process there are no round trips to save, and a multi-row statement
 * costs more: binding thousands of parameters at once, and the statement journal SQLite keeps so
 * a multi-row statement can undo itself, made a batch of clicks a third slower. The transaction
 * holds the connection, so no other query runs in between.
 */
export function sqliteRowInserter(connection: DatabaseSync) {
  const statements = new WeakMap<RowsInsert, { statement: StatementSync; returned: Returned }>()
  return <Row>(insert: RowsInsert, rows: ReadonlyArray<ReadonlyArray<unknown>>): Row[] => {
    let prepared = statements.get(insert)
    if (!prepared) {
      const returned = returnedFrom(insert)
      const single = returned === 'by-statement' ? insert : { ...insert, returning: [] }
      prepared = { statement: connection.prepare(insertSql(single, 1, false)), returned }
      statements.set(insert, prepared)
    }
    return insertEach<Row>(prepared.statement, rows, prepared.returned)
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
