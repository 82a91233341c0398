import { CompiledQuery, type Selectable } from 'kysely'
import type { Database, Db } from './database.ts'
import { preparedSql } from './prepared-statements.ts'
import type { DeliveryAttemptsTable, DeliveryState } from './tables/deliveries.ts'

/** One finished attempt and what follows it for its delivery. */
export interface AttemptRecord extends Omit<Selectable<DeliveryAttemptsTable>, 'id'> {
  /** The delivery's state, next run and schedule position after this attempt. */
  state: DeliveryState
  run_at: number | null
  step: number
}

// PostgreSQL: the whole batch in one statement and one round trip, whatever its size — the rows
// travel as one array per column, the attempt rows are inserted by a data-modifying CTE and the
// deliveries updated from the same rows (lease released). Its commit does not wait for the disk
// (set_config(…, true) is SET LOCAL): a result lost in a crash only means a resend under the same
// event id.
const POSTGRES_RECORD = preparedSql(`
  with relax as (select set_config('synchronous_commit', 'off', true)),
  results as (
    select * from unnest($1::bigint[], $2::bigint[], $3::integer[], $4::integer[], $5::text[],
      $6::text[], $7::text[], $8::bigint[], $9::integer[])
      as r (delivery_id, at, status_code, duration_ms, error, response_body, state, run_at, step)
  ),
  attempts as (
    insert into delivery_attempts (delivery_id, at, status_code, duration_ms, error, response_body)
    select delivery_id, at, status_code, duration_ms, error, response_body from results
  )
  update deliveries set state = results.state, run_at = results.run_at, step = results.step,
    locked_by = null, locked_until = null, attempt_count = deliveries.attempt_count + 1,
    updated_at = $10
  from results cross join relax
  where deliveries.id = results.delivery_id`)

// SQLite runs in-process, so two statements cost no round trip; the rows travel as one JSON
// parameter, so each statement is fixed text and its prepared statement is reused.
const SQLITE_RESULTS = `
  select value ->> '$[0]' as delivery_id, value ->> '$[1]' as at, value ->> '$[2]' as status_code,
    value ->> '$[3]' as duration_ms, value ->> '$[4]' as error, value ->> '$[5]' as response_body,
    value ->> '$[6]' as state, value ->> '$[7]' as run_at, value ->> '$[8]' as step
  from json_each(?1)`

const SQLITE_INSERT = `
  insert into delivery_attempts (delivery_id, at, status_code, duration_ms, error, response_body)
  select delivery_id, at, status_code, duration_ms, error, response_body from (${SQLITE_RESULTS})`

const SQLITE_UPDATE = `
  update deliveries set state = results.state, run_at = results.run_at, step = results.step,
    locked_by = null, locked_until = null, attempt_count = deliveries.attempt_count + 1,
    updated_at = ?2
  from (${SQLITE_RESULTS}) as results
  where deliveries.id = results.delivery_id`

/**
 * Stores a batch of attempts and moves each delivery on (delivered, retry later, failed),
 * releasing its lease. Runs in the caller's transaction when given one.
 */
export async function recordAttempts(
  database: Database,
  records: readonly AttemptRecord[],
  now: number,
  tx: Db = database.db,
): Promise<void> {
  if (records.length === 0) return
  if (database.engine === 'postgres') {
    const columns = [
      records.map((r) => r.delivery_id),
      records.map((r) => r.at),
      records.map((r) => r.status_code),
      records.map((r) => r.duration_ms),
      records.map((r) => r.error),
      records.map((r) => r.response_body),
      records.map((r) => r.state),
      records.map((r) => r.run_at),
      records.map((r) => r.step),
    ]
    await tx.executeQuery(CompiledQuery.raw(POSTGRES_RECORD, [...columns, now]))
    return
  }
  const rows = JSON.stringify(
    records.map((r) => [
      r.delivery_id,
      r.at,
      r.status_code,
      r.duration_ms,
      r.error,
      r.response_body,
      r.state,
      r.run_at,
      r.step,
    ]),
  )
  const write = async (into: Db) => {
    await into.executeQuery(CompiledQuery.raw(SQLITE_INSERT, [rows]))
    await into.executeQuery(CompiledQuery.raw(SQLITE_UPDATE, [rows, now]))
  }
  if (tx !== database.db) await write(tx)
  else await database.db.transaction().execute(write)
}
