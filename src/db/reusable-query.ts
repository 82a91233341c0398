import { type Compilable, CompiledQuery } from 'kysely'
import type { Db } from './database.ts'
import { preparedSql } from './prepared-statements.ts'

interface Prepared {
  sql: string
  /** For each parameter of the SQL, the index of the argument that supplies it. */
  order: number[]
}

/**
 * A hot-path query built and compiled once per database dialect, then run with new arguments.
 * Kysely builds and compiles on every call, which on SQLite costs more than running the query.
 * The query is built once with sentinel arguments, and where each sentinel lands among the
 * compiled parameters says where each argument goes, whatever order kysely emits them in. The
 * builder must not branch on its arguments.
 */
export function reusableQuery<Args extends unknown[], Row>(
  arity: number,
  build: (db: Db, ...args: Args) => Compilable<Row>,
): (db: Db, ...args: Args) => Promise<Row[]> {
  const prepared = new WeakMap<object, Prepared>()
  return async (db, ...args) => {
    const dialect = db.getExecutor().adapter
    let query = prepared.get(dialect)
    if (!query) {
      query = prepare(db, arity, build)
      prepared.set(dialect, query)
    }
    const parameters = query.order.map((index) => args[index])
    const result = await db.executeQuery<Row>(CompiledQuery.raw(query.sql, parameters))
    return result.rows
  }
}

function prepare<Args extends unknown[], Row>(
  db: Db,
  arity: number,
  build: (db: Db, ...args: Args) => Compilable<Row>,
): Prepared {
  const sentinels = Array.from({ length: arity }, (_, i) => `\u0000argument ${i}\u0000`)
  const compiled = build(db, ...(sentinels as unknown as Args)).compile()
  const order = compiled.parameters.map((value) => sentinels.indexOf(value as string))
  if (order.includes(-1))
    throw new Error(`a reusable query has a constant parameter: ${compiled.sql}`)
  return { sql: preparedSql(compiled.sql), order }
}
