import type { Database } from '../db/database.ts'
import type { EndpointHealth } from './endpoint-health.ts'
import { type FinishedAttempt, recordResults } from './record-results.ts'

const BATCH = 64
const DELAY_MS = 5

export interface RecorderHooks {
  /** Whether the worker last saw this endpoint healthy (successes then need no health write). */
  knownHealthy(postbackId: number): boolean
  /** After a batch is written: its deliveries and the endpoints' new health. */
  recorded(batch: readonly FinishedAttempt[], health: Map<number, EndpointHealth>): void
  /** After a batch failed to be written. */
  failed(error: unknown, batch: readonly FinishedAttempt[]): void
}

/**
 * Records finished attempts in batches, one transaction at a time: at once when a batch is full,
 * else a few milliseconds after the first result, so one commit carries many results.
 */
export class ResultRecorder {
  readonly #database: Database
  readonly #baseCooldownMs: number
  readonly #hooks: RecorderHooks
  #finished: FinishedAttempt[] = []
  #recording = 0
  #flushing: Promise<void> | undefined
  #timer: NodeJS.Timeout | undefined

  constructor(database: Database, baseCooldownMs: number, hooks: RecorderHooks) {
    this.#database = database
    this.#baseCooldownMs = baseCooldownMs
    this.#hooks = hooks
  }

  /** Results finished or being written: their deliveries still hold a lease. */
  get waiting(): number {
    return this.#finished.length + this.#recording
  }

  add(done: FinishedAttempt): void {
    this.#finished.push(done)
    if (this.#finished.length >= BATCH) void this.#flush()
    else this.#timer ??= setTimeout(() => void this.#flush(), DELAY_MS)
  }

  /** Writes everything added so far. */
  async drain(): Promise<void> {
    while (this.#finished.length > 0 || this.#flushing) await this.#flush()
  }

  #flush(): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#flushing || this.#finished.length === 0) return this.#flushing ?? Promise.resolve()
    this.#flushing = this.#recordAll().finally(() => {
      this.#flushing = undefined
      // Results that arrived as the last batch was being written.
      if (this.#finished.length > 0) void this.#flush()
    })
    return this.#flushing
  }

  async #recordAll(): Promise<void> {
    while (this.#finished.length > 0) {
      const batch = this.#finished
      this.#finished = []
      this.#recording = batch.length
      try {
        const health = await recordResults(this.#database, batch, this.#baseCooldownMs, (id) =>
          this.#hooks.knownHealthy(id),
        )
        this.#hooks.recorded(batch, health)
      } catch (error) {
        this.#hooks.failed(error, batch)
      }
      this.#recording = 0
    }
  }
}
