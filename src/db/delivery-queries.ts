// Every query of the delivery worker's loop, for both engines, in this one file: the claim and
// the recording of attempts are hand-written SQL whose fast form differs by engine (one
// statement on PostgreSQL, in-process statements on SQLite), and the endpoint health read and
// write belong to the same transaction. Each storage takes its engine's half when it opens; the
// delivery room calls them through the storage and sees no engine.
import { CompiledQuery, type Selectable } from 'kysely'
import type { Schema } from './schema.ts'
import type { Db, Storage } from './storage.ts'
import type { DeliveryAttemptsTable, DeliveryState } from './tables/deliveries.ts'

export interface ClaimedDelivery {
  id: number
  postback_id: number
  event_id: string
  method: 'GET' | 'POST'
  url: string
  body: string | null
  content_type: string | null
  occurred_at: number
  step: number
  attempt_count: number
}

/** What sending to an endpoint needs, read in the same round trip as the claim. */
export interface ClaimedEndpoint extends EndpointHealthRow {
  signing_secret: string | null
  previous_signing_secret: string | null
  previous_secret_expires_at: number | null
}

/** An endpoint's health columns, with its id. */
export interface EndpointHealthRow extends HealthColumns {
  id: number
}

type HealthColumns = Pick<
  Selectable<Schema['postbacks']>,
  | 'consecutive_failures'
  | 'failing_since'
  | 'circuit_open_until'
  | 'circuit_cooldown_ms'
  | 'disabled_at'
>

export interface Claim {
  deliveries: ClaimedDelivery[]
  /** One row per endpoint of the claimed deliveries. */
  endpoints: ClaimedEndpoint[]
}

export interface ClaimOptions {
  workerId: string
  now: number
  leaseMs: number
  limit: number
  /** Endpoints this worker already holds enough of. */
  skipEndpoints: readonly number[]
}

/** One finished attempt and what follows it for its delivery. */
export interface AttemptRecord extends Omit<Selectable<DeliveryAttemptsTable>, 'id'> {
  /** The delivery's state, next run and schedule position after this attempt. */
  state: DeliveryState
  run_at: number | null
  step: number
}

/** The engine-specific half of the delivery queries, as a storage carries it. */
export type DeliveryOperations = Pick<Storage, 'claimDeliveries' | 'recordAttempts'>

/**
 * The health of these endpoints, read to be folded and written back in the same transaction: on
 * PostgreSQL, where several workers record at once, the rows stay locked until commit so no
 * worker's failures overwrite another's (in id order, so two batches can't deadlock).
 */
export function readHealthForUpdate(
  storage: Storage,
  tx: Db,
  ids: readonly number[],
): Promise<EndpointHealthRow[]> {
  const read = tx
    .selectFrom('postbacks')
    .select([
      'id',
      'consecutive_failures',
      'failing_since',
      'circuit_open_until',
      'circuit_cooldown_ms',
      'disabled_at',
    ])
    .where('id', 'in', ids)
    .orderBy('id')
  return storage.lockForUpdate(read).execute()
}

export async function writeHealth(tx: Db, id: number, health: HealthColumns): Promise<void> {
  await tx.updateTable('postbacks').set(health).where('id', '=', id).execute()
}

const DELIVERY_COLUMNS = `id, postback_id, event_id, method, url, body, content_type, occurred_at,
  step, attempt_count`
const ENDPOINT_COLUMNS = `signing_secret, previous_signing_secret, previous_secret_expires_at,
  consecutive_failures, failing_since, circuit_open_until, circuit_cooldown_ms, disabled_at`

// Blocked endpoints (disabled, deleted, circuit open) are excluded by id through a small uncorrelated
// subquery, so the claim is a walk of the due-index in run_at order that stops after `limit` rows,
// whatever the backlog. Parameters: worker, lease end, now, endpoints to skip, limit.
const due = (skip: string, lock: string) => `
  select id from deliveries
  where state = 'pending' and run_at <= $3
    and (locked_until is null or locked_until < $3)
    and postback_id not in (
      select id from postbacks
      where disabled_at is not null or deleted_at is not null or circuit_open_until > $3
    )
    and ${skip}
  order by run_at
  limit $5
  ${lock}`

// One statement, one round trip: claim with `FOR UPDATE SKIP LOCKED` (concurrent workers skip
// each other's rows), read the endpoints, and relax this statement's commit — a claim lost in a
// crash is harmless (the delivery stays due), so it need not wait for the disk. set_config(…,
// true) is SET LOCAL, and the implicit transaction of the statement reads it at commit.
const POSTGRES_CLAIM = `
  with relax as (select set_config('synchronous_commit', 'off', true)),
  next as (${due('postback_id <> all($4::bigint[])', 'for update skip locked')}),
  claimed as (
    update deliveries set locked_by = $1, locked_until = $2, run_at = $2
    from next where deliveries.id = next.id
    returning deliveries.id, postback_id, event_id, method, url, body, content_type, occurred_at,
      step, attempt_count
  )
  select claimed.*, ${ENDPOINT_COLUMNS}
  from claimed join postbacks on postbacks.id = claimed.postback_id cross join relax
  order by claimed.id`

// PostgreSQL: the whole batch in one statement and one round trip, whatever its size — the rows
// travel as one array per column, the attempt rows are inserted by a data-modifying CTE and the
// deliveries updated from the same rows (lease released). Its commit does not wait for the disk
// (set_config(…, true) is SET LOCAL): a result lost in a crash only means a resend under the same
// event id.
const POSTGRES_RECORD = `
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
  where deliveries.id = results.delivery_id and deliveries.locked_by = $11`

/**
 * PostgreSQL's delivery queries: each one fixed text, run as a prepared statement (lists travel
 * as one array parameter), so it is never rebuilt per call nor parsed and planned per run.
 */
export function postgresDeliveries(
  db: Db,
  runPrepared: Storage['runPrepared'],
): DeliveryOperations {
  return {
    async claimDeliveries({ workerId, now, leaseMs, limit, skipEndpoints }) {
      if (limit <= 0) return { deliveries: [], endpoints: [] }
      const parameters = [workerId, now + leaseMs, now, [...skipEndpoints], limit]
      const rows = await runPrepared<ClaimedDelivery & Omit<ClaimedEndpoint, 'id'>>(
        db,
        POSTGRES_CLAIM,
        parameters,
      )
      return splitJoined(rows)
    },
    async recordAttempts(tx, records, now, workerId) {
      if (records.length === 0) return
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
      await runPrepared(tx, POSTGRES_RECORD, [...columns, now, workerId])
    },
  }
}

// SQLite has one writer, so this single UPDATE is atomic as it stands. `?N` is SQLite's numbered
// parameter (its `$N` would be a named one, numbered by first appearance).
const SQLITE_CLAIM = `
  update deliveries set locked_by = $1, locked_until = $2, run_at = $2
  where id in (${due('postback_id not in (select value from json_each($4))', '')})
  returning ${DELIVERY_COLUMNS}`.replace(/\$(\d)/g, '?$1')

const SQLITE_ENDPOINTS = `
  select id, ${ENDPOINT_COLUMNS} from postbacks
  where id in (select value from json_each(?1))`

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
  where deliveries.id = results.delivery_id and deliveries.locked_by = ?3`

/** SQLite's delivery queries: fixed texts, so the driver's statement cache keeps them prepared. */
export function sqliteDeliveries(db: Db): DeliveryOperations {
  return {
    async claimDeliveries({ workerId, now, leaseMs, limit, skipEndpoints }) {
      if (limit <= 0) return { deliveries: [], endpoints: [] }
      const parameters = [workerId, now + leaseMs, now, JSON.stringify(skipEndpoints), limit]
      const claimed = await db.executeQuery<ClaimedDelivery>(
        CompiledQuery.raw(SQLITE_CLAIM, parameters),
      )
      const deliveries = claimed.rows
      if (deliveries.length === 0) return { deliveries, endpoints: [] }
      const ids = JSON.stringify([...new Set(deliveries.map((delivery) => delivery.postback_id))])
      const endpoints = await db.executeQuery<ClaimedEndpoint>(
        CompiledQuery.raw(SQLITE_ENDPOINTS, [ids]),
      )
      return { deliveries, endpoints: endpoints.rows }
    },
    async recordAttempts(tx, records, now, workerId) {
      if (records.length === 0) return
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
        await into.executeQuery(CompiledQuery.raw(SQLITE_UPDATE, [rows, now, workerId]))
      }
      if (tx.isTransaction) await write(tx)
      else await tx.transaction().execute(write)
    },
  }
}

function splitJoined(rows: Array<ClaimedDelivery & Omit<ClaimedEndpoint, 'id'>>): Claim {
  const deliveries: ClaimedDelivery[] = []
  const endpoints = new Map<number, ClaimedEndpoint>()
  for (const row of rows) {
    deliveries.push({
      id: row.id,
      postback_id: row.postback_id,
      event_id: row.event_id,
      method: row.method,
      url: row.url,
      body: row.body,
      content_type: row.content_type,
      occurred_at: row.occurred_at,
      step: row.step,
      attempt_count: row.attempt_count,
    })
    if (!endpoints.has(row.postback_id)) {
      endpoints.set(row.postback_id, {
        id: row.postback_id,
        signing_secret: row.signing_secret,
        previous_signing_secret: row.previous_signing_secret,
        previous_secret_expires_at: row.previous_secret_expires_at,
        consecutive_failures: row.consecutive_failures,
        failing_since: row.failing_since,
        circuit_open_until: row.circuit_open_until,
        circuit_cooldown_ms: row.circuit_cooldown_ms,
        disabled_at: row.disabled_at,
      })
    }
  }
  return { deliveries, endpoints: [...endpoints.values()] }
}
