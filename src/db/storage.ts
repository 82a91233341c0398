import type { DialectAdapter, Kysely, SelectQueryBuilder } from 'kysely'
import type { AttemptRecord, Claim, ClaimOptions } from './delivery-queries.ts'
import type { RowsInsert } from './insert-rows.ts'
import type { Engine, Schema } from './schema.ts'
import type { WriteHealth } from './write-health.ts'

export type Db = Kysely<Schema>

/**
 * One database, whichever engine holds it: the kysely handle for ordinary queries, and named
 * operations for the few things whose fast form differs between the engines. `openDatabase`
 * picks the implementation once (`sqlite-storage.ts`, `postgres-storage.ts`); nothing outside
 * db/ asks which one it got. Operations that run in a caller's transaction take its handle.
 */
export interface Storage {
  readonly db: Db
  /** For migrations, whose DDL is spelled per engine; queries use the operations below. */
  readonly engine: Engine
  /** Whether writes reach the database (see `checkDatabase`). */
  readonly health: WriteHealth
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>
  close(): Promise<void>
  /**
   * Inserts (or, for counters, upserts) many rows and returns the `returning` columns of the
   * rows inserted, in the order given. `insert` must be a module constant: what is made from it
   * (SQL texts, prepared statements) is kept per object.
   */
  insertRows<Row>(
    tx: Db,
    insert: RowsInsert,
    rows: ReadonlyArray<ReadonlyArray<unknown>>,
  ): Promise<Row[]>
  /**
   * Takes `count` fresh ids of `table`'s auto-assigned key, ascending, for rows inserted with
   * their id given (see `reserve-ids.ts`).
   */
  reserveIds(tx: Db, table: keyof Schema, count: number): Promise<number[]>
  /**
   * The query, its rows locked until the transaction ends where writers run side by side
   * (PostgreSQL); as it is on SQLite, whose transactions hold the one write lock already.
   */
  lockForUpdate<TB extends keyof Schema, O>(
    query: SelectQueryBuilder<Schema, TB, O>,
  ): SelectQueryBuilder<Schema, TB, O>
  /**
   * Runs a fixed SQL text in this engine's parameter style. On PostgreSQL it becomes a named
   * prepared statement, parsed and planned once per connection: only texts from a bounded set
   * belong here, since a connection keeps every statement it prepared.
   */
  runPrepared<Row>(tx: Db, text: string, parameters: readonly unknown[]): Promise<Row[]>
  /** Leases due deliveries to one worker (see `delivery-queries.ts`). */
  claimDeliveries(options: ClaimOptions): Promise<Claim>
  /**
   * Stores a batch of attempts and moves each delivery on, releasing its lease: only deliveries
   * `workerId` still holds, since a result kept through an outage may come after the lease
   * lapsed and another worker claimed the delivery (its attempt row is stored all the same).
   */
  recordAttempts(
    tx: Db,
    records: readonly AttemptRecord[],
    now: number,
    workerId: string,
  ): Promise<void>
}

/** A dialect adapter that knows its storage. */
export interface StorageAdapter extends DialectAdapter {
  storage?: Storage
}

/**
 * The storage behind a handle or any of its transactions: kysely gives a handle's transactions
 * the handle's own adapter, and each storage's adapter carries the storage. Lets the rooms whose
 * functions take a handle call the named operations (`insertRows`, `reserveIds`,
 * `reusableQuery`) without the storage threaded through every signature.
 */
export function storageOf(db: Db): Storage {
  const storage = (db.getExecutor().adapter as StorageAdapter).storage
  if (!storage) throw new Error('this database handle was not opened by openDatabase')
  return storage
}
