import { CompiledQuery } from 'kysely'
import type { Database } from './database.ts'
import { preparedSql } from './prepared-statements.ts'

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
export interface ClaimedEndpoint {
  id: number
  signing_secret: string | null
  previous_signing_secret: string | null
  previous_secret_expires_at: number | null
  consecutive_failures: number
  failing_since: number | null
  circuit_open_until: number | null
  circuit_cooldown_ms: number | null
  disabled_at: number | null
}

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
  skipPostbacks: readonly number[]
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
const POSTGRES_CLAIM = preparedSql(`
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
  order by claimed.id`)

// SQLite has one writer, so this single UPDATE is atomic as it stands. `?N` is SQLite's numbered
// parameter (its `$N` would be a named one, numbered by first appearance).
const SQLITE_CLAIM = `
  update deliveries set locked_by = $1, locked_until = $2, run_at = $2
  where id in (${due('postback_id not in (select value from json_each($4))', '')})
  returning ${DELIVERY_COLUMNS}`.replace(/\$(\d)/g, '?$1')

const SQLITE_ENDPOINTS = `
  select id, ${ENDPOINT_COLUMNS} from postbacks
  where id in (select value from json_each(?1))`

/**
 * Leases up to `limit` due deliveries to one worker, skipping disabled endpoints and endpoints
 * whose circuit is open, and returns them with their endpoints' secrets and health. The SQL is
 * fixed text (lists travel as one array or JSON parameter), so it is never rebuilt per call and
 * SQLite's prepared statement is reused.
 */
export async function claimDueDeliveries(
  database: Database,
  options: ClaimOptions,
): Promise<Claim> {
  const { workerId, now, leaseMs, limit, skipPostbacks } = options
  if (limit <= 0) return { deliveries: [], endpoints: [] }
  if (database.engine === 'postgres') {
    const parameters = [workerId, now + leaseMs, now, [...skipPostbacks], limit]
    const result = await database.db.executeQuery<ClaimedDelivery & ClaimedEndpoint>(
      CompiledQuery.raw(POSTGRES_CLAIM, parameters),
    )
    return splitJoined(result.rows)
  }
  const parameters = [workerId, now + leaseMs, now, JSON.stringify(skipPostbacks), limit]
  const claimed = await database.db.executeQuery<ClaimedDelivery>(
    CompiledQuery.raw(SQLITE_CLAIM, parameters),
  )
  const deliveries = claimed.rows
  if (deliveries.length === 0) return { deliveries, endpoints: [] }
  const ids = JSON.stringify([...new Set(deliveries.map((delivery) => delivery.postback_id))])
  const endpoints = await database.db.executeQuery<ClaimedEndpoint>(
    CompiledQuery.raw(SQLITE_ENDPOINTS, [ids]),
  )
  return { deliveries, endpoints: endpoints.rows }
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
