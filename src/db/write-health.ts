import { isDatabaseUnavailable } from './database-unavailable.ts'

/**
 * Whether writes reach the database. A ping (`select 1`) still answers with the disk full or the
 * file locked, so `/healthz` also asks this (see `checkDatabase`): a write that failed for want
 * of the database is remembered with its time, and whether a commit has gone through since.
 */
export class WriteHealth {
  #failure: Error | undefined
  #failedAt = 0
  #recovered = true

  /** The error of the last failed write, if any. */
  get lastFailure(): Error | undefined {
    return this.#failure
  }

  /** When that write failed (epoch milliseconds). */
  get failedAt(): number {
    return this.#failedAt
  }

  /** Whether a commit has succeeded since the last failed write. */
  get recovered(): boolean {
    return this.#recovered
  }

  /** Notes a failed statement; only failures of the database itself count, not refused rows. */
  failed(error: unknown): void {
    if (!isDatabaseUnavailable(error)) return
    this.#failure = error as Error
    this.#failedAt = Date.now()
    this.#recovered = false
  }

  succeeded(): void {
    this.#recovered = true
  }
}
