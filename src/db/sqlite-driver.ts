import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite'
import type { SqliteDatabase, SqliteStatement } from 'kysely'
import type { WriteHealth } from './write-health.ts'

// Our transactions write, so they take the write lock up front: a deferred BEGIN that later
// upgrades can fail with SQLITE_BUSY when another process (or connection) writes meanwhile.
const BEGIN_IMMEDIATE = 'begin immediate'

/**
 * Presents node:sqlite's DatabaseSync as the better-sqlite3 shape that kysely's SqliteDialect
 * drives. We use the built-in driver so `npm ci` compiles nothing; statements are cached because
 * kysely prepares every query afresh and preparing dominates the cost of small hot-path queries.
 * Failures of the database itself (disk full, I/O error, locked) are noted in `health`, and a
 * commit clears them.
 */
export function adaptNodeSqlite(
  database: DatabaseSync,
  health: WriteHealth,
  cacheSize = 500,
): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>()
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql)
      if (cached) return cached
      const prepared = database.prepare(sql === 'begin' ? BEGIN_IMMEDIATE : sql)
      const statement =
        sql === 'rollback'
          ? rollbackIfOpen(database, prepared)
          : watchStatement(wrapStatement(prepared), health, sql === 'commit')
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!)
      cache.set(sql, statement)
      return statement
    },
  }
}

/**
 * On SQLITE_FULL or SQLITE_IOERR SQLite rolls the transaction back itself; kysely's rollback
 * after the failed statement would then fail with "cannot rollback - no transaction is active"
 * and replace the error that says what happened. Only an open transaction is rolled back.
 */
function rollbackIfOpen(database: DatabaseSync, rollback: StatementSync): SqliteStatement {
  const statement = wrapStatement(rollback)
  return {
    ...statement,
    run: (parameters) =>
      database.isTransaction ? statement.run(parameters) : { changes: 0, lastInsertRowid: 0 },
  }
}

function watchStatement(
  statement: SqliteStatement,
  health: WriteHealth,
  isCommit: boolean,
): SqliteStatement {
  const watch =
    <A extends unknown[], R>(run: (...args: A) => R) =>
    (...args: A): R => {
      try {
        const result = run(...args)
        if (isCommit) health.succeeded()
        return result
      } catch (error) {
        health.failed(error)
        throw error
      }
    }
  return {
    reader: statement.reader,
    all: watch(statement.all),
    run: watch(statement.run),
    iterate: watch(statement.iterate),
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
