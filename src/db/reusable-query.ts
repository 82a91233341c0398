import type { Compilable } from 'kysely'
import { type Db, type Storage, storageOf } from './storage.ts'

interface Prepared {
  sql: string
  /** For each parameter of the SQL, the index of the argument that supplies it. */
  order: number[]
}

/**
 * A hot-path query built and compiled once per database, then run with new arguments as a
 * prepared statement (`Storage.runPrepared`). Kysely builds and compiles on every call, which on
 * SQLite costs more than running the query. The query is built once with sentinel arguments, and
 * where each sentinel lands among the compiled parameters says where each argument goes,
 * whatever order kysely emits them in. The builder must not branch on its arguments.
 */
export function reusableQuery<Args extends unknown[], Row>(
  arity: number,
  build: (db: Db, ...args: Args) => Compilable<Row>,
): (db: Db, ...args: Args) => Promise<Row[]> {
  const prepared = new WeakMap<Storage, Prepared>()
  return (db, ...args) => {
    const storage = storageOf(db)
    let query = prepared.get(storage)
    if (!query) {
      query = prepare(db, arity, build)
      prepared.set(storage, query)
    }
    const parameters = query.order.map((index) => args[index])
    return storage.runPrepared<Row>(db, query.sql, parameters)
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
  return { sql: compiled.sql, order }
}
