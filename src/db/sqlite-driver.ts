import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite'
import type { SqliteDatabase, SqliteStatement } from 'kysely'

// Our transactions write, so they take the write lock up front: a deferred BEGIN that later
// upgrades can fail with SQLITE_BUSY when another process (or connection) writes meanwhile.
const BEGIN_IMMEDIATE = 'begin immediate'

/**
 * Presents node:sqlite's DatabaseSync as the better-sqlite3 shape that kysely's SqliteDialect
 * drives. We use the built-in driver so `npm ci` compiles nothing; statements are cached because
 * kysely prepares every query afresh and preparing dominates the cost of small hot-path queries.
 */
export function adaptNodeSqlite(database: DatabaseSync, cacheSize = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>()
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql)
      if (cached) return cached
      const statement = wrapStatement(database.prepare(sql === 'begin' ? BEGIN_IMMEDIATE : sql))
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!)
      cache.set(sql, statement)
      return statement
    },
  }
}

function wrapStatement(statement: StatementSync): SqliteStatement {
  return {
    reader: statement.columns().length > 0,
    all: (parameters) => statement.all(...toSqliteValues(parameters)),
    run: (parameters) => statement.run(...toSqliteValues(parameters)),
    iterate: (parameters) => statement.iterate(...toSqliteValues(parameters)),
  }
}

function toSqliteValues(parameters: ReadonlyArray<unknown>): SQLInputValue[] {
  return parameters.map(toSqliteValue)
}

// node:sqlite refuses booleans and undefined; better-sqlite3 (and so kysely) passes them through.
export function toSqliteValue(value: unknown): SQLInputValue {
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value === undefined) return null
  return value as SQLInputValue
}
