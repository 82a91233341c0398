import { sql } from 'kysely'
import type { Database, Db } from './database.ts'
import { relaxCommit } from './relax-commit.ts'
import type { Engine } from './schema.ts'

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

export interface ClaimOptions {
  workerId: string
  now: number
  leaseMs: number
  limit: number
  /** Endpoints this worker already holds enough of. */
  skipPostbacks: readonly number[]
}

/**
 * Leases up to `limit` due deliveries to one worker, skipping disabled endpoints and endpoints
 * whose circuit is open. The one place the engines differ: PostgreSQL lets concurrent workers
 * skip each other's locked rows (`FOR UPDATE SKIP LOCKED`); SQLite has a single writer, so the
 * `UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING` is atomic as it stands.
 */
export async function claimDueDeliveries(
  database: Database,
  options: ClaimOptions,
): Promise<ClaimedDelivery[]> {
  if (options.limit <= 0) return []
  return database.db.transaction().execute(async (tx) => {
    // A claim lost in a crash is harmless (the delivery stays due), so it need not wait for disk.
    await relaxCommit(tx, database.engine)
    return claimIn(tx, database.engine, options)
  })
}

// Blocked endpoints (disabled, circuit open) are excluded by id through a small uncorrelated
// subquery, so the claim is a walk of the due-index in run_at order that stops after `limit` rows,
// whatever the backlog.
async function claimIn(tx: Db, engine: Engine, options: ClaimOptions) {
  const { workerId, now, leaseMs, limit, skipPostbacks } = options
  const skip =
    skipPostbacks.length > 0
      ? sql`and postback_id not in (${sql.join(skipPostbacks.map((id) => sql`${id}`))})`
      : sql``
  const lock = engine === 'postgres' ? sql`for update skip locked` : sql``
  const result = await sql<ClaimedDelivery>`
    update deliveries set locked_by = ${workerId}, locked_until = ${now + leaseMs}
    where id in (
      select id from deliveries
      where state = 'pending' and run_at <= ${now}
        and (locked_until is null or locked_until < ${now})
        and postback_id not in (
          select id from postbacks
          where disabled_at is not null or circuit_open_until > ${now}
        )
        ${skip}
      order by run_at
      limit ${limit}
      ${lock}
    )
    returning id, postback_id, event_id, method, url, body, content_type, occurred_at, step,
      attempt_count`.execute(tx)
  return result.rows
}
