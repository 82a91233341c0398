import type { ClaimedDelivery } from '../db/claim-deliveries.ts'
import type { Database, Db } from '../db/database.ts'
import { relaxCommit } from '../db/relax-commit.ts'
import { type EndpointHealth, foldHealth, sameHealth } from './endpoint-health.ts'
import type { NextStep } from './retry-policy.ts'
import type { AttemptResult } from './send-postback.ts'

export interface FinishedAttempt {
  delivery: ClaimedDelivery
  result: AttemptResult
  next: NextStep
}

/**
 * Writes a batch of finished attempts in one transaction: the attempt rows, each delivery's new
 * state (its lease released), and each endpoint's health. Returns the endpoints' new health.
 * The commit does not wait for the disk: a result lost in a crash only means a resend.
 */
export async function recordResults(
  database: Database,
  finished: readonly FinishedAttempt[],
  baseCooldownMs: number,
  knownHealthy: (postbackId: number) => boolean = () => false,
): Promise<Map<number, EndpointHealth>> {
  const now = Date.now()
  return database.db.transaction().execute(async (tx) => {
    await relaxCommit(tx, database.engine)
    await tx
      .insertInto('delivery_attempts')
      .values(
        finished.map(({ delivery, result }) => ({
          delivery_id: delivery.id,
          at: result.at,
          status_code: result.status_code,
          duration_ms: result.duration_ms,
          error: result.error,
          response_body: result.response_body,
        })),
      )
      .execute()
    const delivered = finished.filter((done) => done.next.state === 'delivered')
    if (delivered.length > 0) {
      await tx
        .updateTable('deliveries')
        .set((eb) => ({
          state: 'delivered',
          run_at: null,
          locked_by: null,
          locked_until: null,
          attempt_count: eb('attempt_count', '+', 1),
          updated_at: now,
        }))
        .where(
          'id',
          'in',
          delivered.map((done) => done.delivery.id),
        )
        .execute()
    }
    for (const { delivery, next } of finished) {
      if (next.state === 'delivered') continue
      await tx
        .updateTable('deliveries')
        .set((eb) => ({
          state: next.state,
          run_at: next.run_at,
          step: next.step,
          locked_by: null,
          locked_until: null,
          attempt_count: eb('attempt_count', '+', 1),
          updated_at: now,
        }))
        .where('id', '=', delivery.id)
        .execute()
    }
    return updateHealth(tx, finished, baseCooldownMs, knownHealthy)
  })
}

// Only successes for an endpoint the worker last saw healthy change nothing, and are the common
// case: they cost no query at all.
async function updateHealth(
  tx: Db,
  finished: readonly FinishedAttempt[],
  baseCooldownMs: number,
  knownHealthy: (postbackId: number) => boolean,
) {
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
  if (byEndpoint.size === 0) return new Map<number, EndpointHealth>()
  const rows = await tx
    .selectFrom('postbacks')
    .select([
      'id',
      'consecutive_failures',
      'failing_since',
      'circuit_open_until',
      'circuit_cooldown_ms',
      'disabled_at',
    ])
    .where('id', 'in', [...byEndpoint.keys()])
    .execute()
  const health = new Map<number, EndpointHealth>()
  for (const { id, ...current } of rows) {
    const results = (byEndpoint.get(id) ?? [])
      .map((done) => done.result)
      .sort((a, b) => a.at - b.at)
    const next = foldHealth(current, results, baseCooldownMs)
    health.set(id, next)
    if (!sameHealth(current, next)) {
      await tx.updateTable('postbacks').set(next).where('id', '=', id).execute()
    }
  }
  return health
}
