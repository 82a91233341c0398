import type { Database } from '../db/database.ts'
import { isDatabaseUnavailable } from '../db/database-unavailable.ts'
import type { EndpointHealth } from './endpoint-health.ts'
import { type FinishedAttempt, recordResults } from './record-results.ts'

const BATCH = 64
const DELAY_MS = 5
// While the database is away, results wait and are written again after these delays.
const RETRY_MS = [100, 250, 500, 1000, 2000]
const STOP_ATTEMPTS = 3

export interface RecorderHooks {
  /** Whether the worker last saw this endpoint healthy (successes then need no health write). */
  knownHealthy(endpointId: number): boolean
  /** After a batch is written: its deliveries and the endpoints' new health. */
  recorded(batch: readonly FinishedAttempt[], health: Map<number, EndpointHealth>): void
  /** After a batch failed to be written. */
  failed(error: unknown, batch: readonly FinishedAttempt[]): void
  /** The database is unavailable: the batch is kept and written again. */
  retrying(error: unknown, batch: readonly FinishedAttempt[], attempt: number): void
}

/**
 * Records finished attempts in batches, one transaction at a time: at once when a batch is full,
 * else a few milliseconds after the first result, so one commit carries many results. While the
 * database is unavailable the results are kept and written again: dropped, their deliveries
 * would be sent a second time once the leases lapsed.
 */
export class ResultRecorder {
  readonly #database: Database
  readonly #workerId: string
  readonly #baseCooldownMs: number
  readonly #hooks: RecorderHooks
  #finished: FinishedAttempt[] = []
  #recording = 0
  #flushing: Promise<void> | undefined
  #timer: NodeJS.Timeout | undefined
  #failures = 0

  constructor(database: Database, workerId: string, baseCooldownMs: number, hooks: RecorderHooks) {
    this.#database = database
    this.#workerId = workerId
    this.#baseCooldownMs = baseCooldownMs
    this.#hooks = hooks
  }

  /** Results finished or being written: their deliveries still hold a lease. */
  get waiting(): number {
    return this.#finished.length + this.#recording
  }

  /** Results are waiting for the database to come back; claiming more would only add to them. */
  get stalled(): boolean {
    return this.#failures > 0
  }

  add(done: FinishedAttempt): void {
    this.#finished.push(done)
    if (this.#failures > 0) this.#timer ??= setTimeout(() => void this.#flush(), this.#delay())
    else if (this.#finished.length >= BATCH) void this.#flush()
    else this.#timer ??= setTimeout(() => void this.#flush(), DELAY_MS)
  }

  /**
   * Writes everything added so far, trying a few more times if the database is away; what is
   * still unwritten then is given up (its deliveries are sent again once their leases lapse).
   */
  async drain(): Promise<void> {
    for (let attempt = 0; this.#finished.length > 0 || this.#flushing; attempt++) {
      if (this.#failures > 0 && attempt >= STOP_ATTEMPTS) {
        const batch = this.#finished
        this.#finished = []
        this.#hooks.failed(new Error('the database was unavailable at shutdown'), batch)
        return
      }
      await this.#flush()
      if (this.#failures > 0) await new Promise((resolve) => setTimeout(resolve, this.#delay()))
    }
  }

  #delay(): number {
    return RETRY_MS[Math.min(this.#failures, RETRY_MS.length) - 1] ?? 0
  }

  #flush(): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#flushing || this.#finished.length === 0) return this.#flushing ?? Promise.resolve()
    this.#flushing = this.#recordAll().finally(() => {
      this.#flushing = undefined
      // Results that arrived as the last batch was being written, or a batch to write again.
      if (this.#finished.length === 0) return
      if (this.#failures === 0) void this.#flush()
      else this.#timer ??= setTimeout(() => void this.#flush(), this.#delay())
    })
    return this.#flushing
  }

  async #recordAll(): Promise<void> {
    while (this.#finished.length > 0) {
      const batch = this.#finished
      this.#finished = []
      this.#recording = batch.length
      try {
        const health = await recordResults(
          this.#database,
          this.#workerId,
          batch,
          this.#baseCooldownMs,
          (id) => this.#hooks.knownHealthy(id),
        )
        this.#failures = 0
        this.#hooks.recorded(batch, health)
      } catch (error) {
        this.#recording = 0
        if (isDatabaseUnavailable(error)) {
          this.#failures++
          this.#finished = [...batch, ...this.#finished]
          this.#hooks.retrying(error, batch, this.#failures)
          return
        }
        this.#hooks.failed(error, batch)
      }
      this.#recording = 0
    }
  }
}
