import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { Db } from '../db/database.ts'
import type { AttemptOutcome } from './send-attempt.ts'

export interface DeliveryMetrics {
  attempts: Counter<'outcome'>
  latency: Histogram
}

const byRegistry = new WeakMap<Registry, DeliveryMetrics>()

/**
 * Delivery's metrics on the app's registry, made once per registry: attempts by outcome, the
 * time from conversion to first attempt, and the queue depth read from the database at scrape.
 */
export function deliveryMetrics(registry: Registry, db: Db): DeliveryMetrics {
  const existing = byRegistry.get(registry)
  if (existing) return existing
  new Gauge({
    name: 'backtrack_delivery_queue_depth',
    help: 'Outbound postback deliveries pending (queued or being retried)',
    registers: [registry],
    async collect() {
      // With the database down the depth is unknown (NaN), but the scrape must still answer:
      // that is when backtrack_health_up 0 and its failure reasons matter most.
      const row = await db
        .selectFrom('deliveries')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('state', '=', 'pending')
        .executeTakeFirst()
        .catch(() => undefined)
      this.set(row === undefined ? Number.NaN : Number(row.count))
    },
  })
  const metrics: DeliveryMetrics = {
    attempts: new Counter({
      name: 'backtrack_delivery_attempts_total',
      help: 'Outbound postback attempts, by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'backtrack_delivery_latency_seconds',
      help: 'Time from a conversion (or status change) to the first attempt of its postback',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
  }
  byRegistry.set(registry, metrics)
  return metrics
}

export function countAttempt(metrics: DeliveryMetrics, outcome: AttemptOutcome): void {
  metrics.attempts.inc({ outcome })
}
