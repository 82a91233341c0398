import { CompiledQuery, Kysely, PostgresAdapter, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { postgresDeliveries } from './delivery-queries.ts'
import { multiRowInserter } from './insert-rows.ts'
import { preparingPool } from './postgres-driver.ts'
import type { Schema } from './schema.ts'
import type { Db, Storage, StorageAdapter } from './storage.ts'
import { WriteHealth } from './write-health.ts'

const INT8_OID = 20

/** How long opening a connection may take: a host that drops packets would take minutes. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000
/** How long one statement may run (PostgreSQL's statement_timeout). */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000
// A server that hangs never runs statement_timeout: the client gives up on an answer this much
// later than the server would have.
const READ_TIMEOUT_MARGIN_MS = 2000

export interface PostgresTimeouts {
  connectTimeoutMs?: number
  statementTimeoutMs?: number
}

class PostgresStorageAdapter extends PostgresAdapter implements StorageAdapter {
  storage?: Storage
}

/** PostgreSQL through a pg pool, with the hot paths' fixed texts run as prepared statements. */
export function openPostgresStorage(
  config: { url: string; schema?: string } & PostgresTimeouts,
  poolSize = 10,
): Storage {
  const statementTimeoutMs = config.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS
  const pool = new pg.Pool({
    connectionString: config.url,
    max: poolSize,
    connectionTimeoutMillis: config.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + READ_TIMEOUT_MARGIN_MS,
    // Notices a peer that vanished without closing (a cable pulled, a VM frozen).
    keepAlive: true,
    // int8 columns hold epoch milliseconds and minor units, all far below 2^53.
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
    // JIT compiling a report's aggregate costs more than running it: our queries are short.
    // Statements prepared by name (runPrepared) are planned once, not once per run: a custom
    // plan per run of a delivery claim cost as much as a third of running it. Unnamed statements
    // are planned with their values whatever this says.
    options: [
      '-c jit=off',
      '-c plan_cache_mode=force_generic_plan',
      ...(config.schema ? [`-c search_path=${config.schema}`] : []),
    ].join(' '),
  })
  // The fixed texts this storage runs as prepared statements, each with its name. Only texts
  // from a bounded set come here: a connection keeps every statement it prepared.
  const names = new Map<string, string>()
  const prepare = (text: string) => {
    if (!names.has(text)) names.set(text, `bt_${names.size + 1}`)
    return text
  }
  // An idle connection that drops is removed by the pool, which then emits 'error': unheard, that
  // would end the process. The next query opens a new connection and its caller hears whether
  // the server is back, so nothing is lost by not acting on it here.
  pool.on('error', () => {})
  const health = new WriteHealth()
  const adapter = new PostgresStorageAdapter()
  const dialect = new PostgresDialect({ pool: preparingPool(pool, names, health) })
  const db = new Kysely<Schema>({
    dialect: {
      createAdapter: () => adapter,
      createDriver: () => dialect.createDriver(),
      createIntrospector: (db) => dialect.createIntrospector(db),
      createQueryCompiler: () => dialect.createQueryCompiler(),
    },
  })
  const runPrepared = async <Row>(tx: Db, text: string, parameters: readonly unknown[]) => {
    prepare(text)
    return (await tx.executeQuery<Row>(CompiledQuery.raw(text, parameters as unknown[]))).rows
  }
  const storage: Storage = {
    db,
    engine: 'postgres',
    health,
    ping: async () => {
      await sql`select 1`.execute(db)
    },
    close: () => db.destroy(),
    // As few statements as the parameter limit allows, one round trip each.
    insertRows: multiRowInserter({ numbered: true, prepare }),
    // Drawn from the identity sequence, which any transaction may move.
    async reserveIds(tx, table, count) {
      if (count === 0) return []
      const { rows } = await sql<{ id: number }>`
        select nextval(pg_get_serial_sequence(${table}, 'id')) as id from generate_series(1, ${count})
      `.execute(tx)
      return rows.map((row) => Number(row.id)).sort((a, b) => a - b)
    },
    lockForUpdate: (query) => query.forUpdate(),
    runPrepared,
    ...postgresDeliveries(db, runPrepared),
  }
  adapter.storage = storage
  return storage
}
