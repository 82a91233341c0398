import { randomBytes } from 'node:crypto'
import type { Registry } from 'prom-client'
import type { Database } from '../db/database.ts'
import type { ClaimedDelivery } from '../db/delivery-queries.ts'
import { countAttempt, type DeliveryMetrics, deliveryMetrics } from './delivery-metrics.ts'
import { KnownEndpoints } from './known-endpoints.ts'
import { type EndpointLoad, nextClaimDelay, planAttempts, planClaim } from './plan-attempts.ts'
import { ResultRecorder } from './result-recorder.ts'
import { nextStep } from './retry-policy.ts'
import { type AttemptResult, AttemptSender } from './send-attempt.ts'
import type { SendingEndpoint } from './sending-endpoint.ts'

export interface WorkerOptions {
  /** Attempts in flight at once in this process. */
  concurrency?: number
  /** Attempts in flight at once to one endpoint from this process. */
  endpointConcurrency?: number
  /** How often an idle worker looks for due deliveries. */
  pollMs?: number
  /** How long a claim lasts without a heartbeat; a crashed worker's claims return after it. */
  leaseMs?: number
}

export interface WorkerContext {
  retryScheduleMs: readonly number[]
  allowPrivateTargets: boolean
  database: Database
  registry: Registry
  log: WorkerLog
}

/** Where the worker reports trouble it recovers from (pino's shape: context object, message). */
export interface WorkerLog {
  info(context: object, message: string): void
  error(context: object, message: string): void
}

export const WORKER_DEFAULTS = {
  concurrency: 64,
  endpointConcurrency: 16,
  pollMs: 200,
  leaseMs: 15_000,
} satisfies Required<WorkerOptions>

interface Held {
  delivery: ClaimedDelivery
  started: boolean
}

/**
 * The outbox worker: claims due deliveries with a lease, sends them through one keep-alive pool
 * within per-endpoint limits, and records results in batches. A heartbeat renews the leases it
 * holds; on stop it lets attempts in flight finish and hands back what it had not started. What
 * to claim and start is decided by the pure functions of `plan-attempts.ts`; endpoint health is
 * kept by `KnownEndpoints`.
 */
export class DeliveryWorker {
  readonly id = `w_${randomBytes(6).toString('hex')}`
  readonly #ctx: WorkerContext
  readonly #options: Required<WorkerOptions>
  readonly #sender: AttemptSender
  readonly #metrics: DeliveryMetrics
  readonly #held = new Map<number, Held>()
  readonly #queues = new Map<number, ClaimedDelivery[]>()
  readonly #endpointInFlight = new Map<number, number>()
  readonly #endpoints: KnownEndpoints
  readonly #inFlight = new Set<Promise<void>>()
  readonly #recorder: ResultRecorder
  #stopping = false
  #wake: (() => void) | undefined
  #loop: Promise<void> | undefined
  #heartbeat: NodeJS.Timeout | undefined

  constructor(ctx: WorkerContext, options: WorkerOptions = {}) {
    this.#ctx = ctx
    this.#options = { ...WORKER_DEFAULTS, ...options }
    this.#sender = new AttemptSender({ allowPrivateTargets: ctx.allowPrivateTargets })
    this.#metrics = deliveryMetrics(ctx.registry, ctx.database.db)
    const endpoints = new KnownEndpoints(this.#baseCooldownMs)
    this.#endpoints = endpoints
    this.#recorder = new ResultRecorder(ctx.database, this.id, this.#baseCooldownMs, {
      knownHealthy: (id) => endpoints.knownHealthy(id),
      recorded: (batch, health) => {
        endpoints.recorded(batch, health)
        for (const done of batch) this.#held.delete(done.delivery.id)
      },
      failed: (error, batch) => {
        // The leases lapse and the deliveries are sent again under the same event id.
        this.#ctx.log.error(
          { err: error, worker: this.id, deliveries: batch.length },
          'recording delivery results failed',
        )
        endpoints.notRecorded(batch)
        for (const done of batch) this.#held.delete(done.delivery.id)
      },
      retrying: (error, batch, attempt) =>
        this.#ctx.log.error(
          { err: error, worker: this.id, deliveries: batch.length, attempt },
          'recording delivery results failed; will retry',
        ),
    })
  }

  get #baseCooldownMs(): number {
    return this.#ctx.retryScheduleMs[0] ?? 1000
  }

  start(): this {
    this.#loop = this.#run()
    const every = Math.max(100, Math.floor(this.#options.leaseMs / 3))
    this.#heartbeat = setInterval(() => this.#renewLeases(), every)
    return this
  }

  /** Stops claiming, hands back unstarted claims, waits for attempts in flight and records them. */
  async stop(): Promise<void> {
    this.#stopping = true
    this.#wake?.()
    await this.#loop
    const unstarted = [...this.#held.values()].filter((held) => !held.started)
    this.#queues.clear()
    for (const held of unstarted) this.#held.delete(held.delivery.id)
    // With the database away this fails; the claims come back when their leases lapse.
    await this.#release(unstarted.map((held) => held.delivery.id)).catch((error) =>
      this.#ctx.log.error({ err: error, worker: this.id }, 'handing back claims failed'),
    )
    await Promise.all(this.#inFlight)
    await this.#recorder.drain()
    clearInterval(this.#heartbeat)
    await this.#sender.close()
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      const now = Date.now()
      const plan = planClaim(
        {
          held: this.#held.size,
          waiting: this.#recorder.waiting,
          queued: new Map([...this.#queues].map(([id, queue]) => [id, queue.length])),
          blockedUnrecorded: this.#endpoints.blockedUnrecorded(now),
          recorderStalled: this.#recorder.stalled,
        },
        this.#options,
      )
      const claimed = plan
        ? await this.#claim(plan.limit, plan.skip, now).catch((error) => {
            this.#ctx.log.error({ err: error, worker: this.id }, 'delivery claim failed')
            return 0
          })
        : 0
      if (this.#stopping) break
      await this.#sleep(nextClaimDelay(plan?.limit ?? 0, claimed, this.#options.pollMs))
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      const wake = () => done()
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.#wake = wake
    })
  }

  async #claim(limit: number, skip: number[], now: number): Promise<number> {
    const { deliveries: claimed, endpoints } = await this.#ctx.database.claimDeliveries({
      workerId: this.id,
      now,
      leaseMs: this.#options.leaseMs,
      limit,
      skipEndpoints: skip,
    })
    if (claimed.length === 0) return 0
    this.#endpoints.claimed(endpoints, now)
    for (const delivery of claimed) {
      this.#held.set(delivery.id, { delivery, started: false })
      const queue = this.#queues.get(delivery.postback_id) ?? []
      queue.push(delivery)
      this.#queues.set(delivery.postback_id, queue)
    }
    await this.#pump()
    return claimed.length
  }

  /** Starts queued attempts while there is room, overall and per endpoint (see planAttempts). */
  async #pump(): Promise<void> {
    const loads = new Map<number, EndpointLoad>()
    for (const [id, queue] of this.#queues) {
      loads.set(id, {
        health: this.#endpoints.get(id)?.health,
        queued: queue.length,
        inFlight: this.#endpointInFlight.get(id) ?? 0,
      })
    }
    const plan = planAttempts(loads, this.#inFlight.size, Date.now(), this.#options)
    for (const [id, count] of plan.start) {
      const queue = this.#queues.get(id)!
      const endpoint = this.#endpoints.get(id)!
      for (const delivery of queue.splice(0, count)) this.#startAttempt(delivery, endpoint)
      if (queue.length === 0) this.#queues.delete(id)
    }
    const hold: number[] = []
    for (const id of plan.release) {
      for (const delivery of this.#queues.get(id) ?? []) hold.push(delivery.id)
      this.#queues.delete(id)
    }
    if (hold.length > 0) {
      for (const id of hold) this.#held.delete(id)
      await this.#release(hold)
    }
  }

  #startAttempt(delivery: ClaimedDelivery, endpoint: SendingEndpoint): void {
    this.#held.get(delivery.id)!.started = true
    const endpointId = delivery.postback_id
    this.#endpointInFlight.set(endpointId, (this.#endpointInFlight.get(endpointId) ?? 0) + 1)
    const attempt = this.#sender
      .send({ ...delivery, secrets: endpoint.secrets })
      .then((result) => this.#finish(delivery, result))
      .finally(() => {
        this.#inFlight.delete(attempt)
        this.#endpointInFlight.set(endpointId, (this.#endpointInFlight.get(endpointId) ?? 1) - 1)
        if (!this.#stopping) {
          this.#pump().catch((error) =>
            this.#ctx.log.error({ err: error, worker: this.id }, 'releasing claims failed'),
          )
        }
        this.#wake?.()
      })
    this.#inFlight.add(attempt)
  }

  #finish(delivery: ClaimedDelivery, result: AttemptResult): void {
    countAttempt(this.#metrics, result.outcome)
    // Info, not error: a partner's endpoint failing is expected and retried, yet someone asking
    // "why was nothing delivered" should find the endpoint and the reason in the log.
    if (result.outcome !== 'delivered') {
      this.#ctx.log.info(
        {
          worker: this.id,
          delivery: delivery.id,
          endpoint: String(delivery.postback_id),
          outcome: result.outcome,
          reason: result.error,
        },
        'postback attempt failed',
      )
    }
    if (delivery.attempt_count === 0) {
      this.#metrics.latency.observe(Math.max(0, result.at - delivery.occurred_at) / 1000)
    }
    const next = nextStep(result, delivery.step, this.#ctx.retryScheduleMs)
    this.#endpoints.attempted(delivery.postback_id, result)
    this.#recorder.add({ delivery, result, next })
  }

  #renewLeases(): void {
    const ids = [...this.#held.keys()]
    if (ids.length === 0) return
    const until = Date.now() + this.#options.leaseMs
    this.#ctx.database.db
      .updateTable('deliveries')
      .set({ locked_until: until, run_at: until })
      .where('id', 'in', ids)
      .where('locked_by', '=', this.id)
      .execute()
      .catch((error) =>
        this.#ctx.log.error({ err: error, worker: this.id }, 'delivery lease renewal failed'),
      )
  }

  async #release(ids: number[]): Promise<void> {
    if (ids.length === 0) return
    await this.#ctx.database.db
      .updateTable('deliveries')
      .set({ locked_by: null, locked_until: null, run_at: Date.now() })
      .where('id', 'in', ids)
      .where('locked_by', '=', this.id)
      .execute()
  }
}
