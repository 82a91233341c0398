import type { Database, Db } from '../db/database.ts'
import {
  type ClaimedDelivery,
  type EndpointHealthRow,
  readHealthForUpdate,
  writeHealth,
} from '../db/delivery-queries.ts'
import { type EndpointHealth, foldHealth, sameHealth } from './endpoint-health.ts'
import type { NextStep } from './retry-policy.ts'
import type { AttemptResult } from './send-attempt.ts'

export interface FinishedAttempt {
  delivery: ClaimedDelivery
  result: AttemptResult
  next: NextStep
}

/**
 * Writes a batch of finished attempts: the attempt rows, each delivery's new state (its lease
 * released), and each endpoint's health. Returns the endpoints' new health. The common batch —
 * successes for endpoints the worker knows healthy — is one statement; health changes add a read
 * and writes in the same transaction. Commits do not wait for the disk: a result lost in a crash
 * only means a resend.
 */
export async function recordResults(
  database: Database,
  workerId: string,
  finished: readonly FinishedAttempt[],
  baseCooldownMs: number,
  knownHealthy: (endpointId: number) => boolean = () => false,
): Promise<Map<number, EndpointHealth>> {
  const now = Date.now()
  const records = finished.map(({ delivery, result, next }) => ({
    delivery_id: delivery.id,
    at: result.at,
    status_code: result.status_code,
    duration_ms: result.duration_ms,
    error: result.error,
    response_body: result.response_body,
    state: next.state,
    run_at: next.run_at,
    step: next.step,
  }))
  const changes = healthToUpdate(finished, knownHealthy)
  if (changes.size === 0) {
    await database.recordAttempts(database.db, records, now, workerId)
    return new Map()
  }
  return database.db.transaction().execute(async (tx) => {
    // Endpoint rows first, deliveries after: the order deleting an endpoint takes them in, so
    // the two can't deadlock.
    const current = await readHealthForUpdate(database, tx, [...changes.keys()])
    await database.recordAttempts(tx, records, now, workerId)
    return updateHealth(tx, current, changes, baseCooldownMs)
  })
}

// Only successes for an endpoint the worker last saw healthy change nothing, and are the common
// case: they cost no query at all.
function healthToUpdate(
  finished: readonly FinishedAttempt[],
  knownHealthy: (endpointId: number) => boolean,
): Map<number, FinishedAttempt[]> {
  const byEndpoint = new Map<number, FinishedAttempt[]>()
  for (const done of finished) {
    const list = byEndpoint.get(done.delivery.postback_id) ?? []
    list.push(done)
    byEndpoint.set(done.delivery.postback_id, list)
  }
  for (const [id, list] of byEndpoint) {
    if (knownHealthy(id) && list.every((done) => done.result.outcome === 'delivered')) {
      byEndpoint.delete(id)
    }
  }
  return byEndpoint
}

// Health is read (locked where writers run side by side), folded here and written back.
async function updateHealth(
  tx: Db,
  rows: readonly EndpointHealthRow[],
  byEndpoint: Map<number, FinishedAttempt[]>,
  baseCooldownMs: number,
) {
  const health = new Map<number, EndpointHealth>()
  for (const { id, ...current } of rows) {
    const results = (byEndpoint.get(id) ?? [])
      .map((done) => done.result)
      .sort((a, b) => a.at - b.at)
    const next = foldHealth(current, results, baseCooldownMs)
    health.set(id, next)
    if (!sameHealth(current, next)) {
      await writeHealth(tx, id, next)
    }
  }
  return health
}
