import { isDatabaseUnavailable } from './database-unavailable.ts'

/**
 * Whether the last write reached the database. A ping (`select 1`) still answers with the disk
 * full or the file locked, so `/healthz` also asks this: a write that failed for want of the
 * database marks it failing until a later commit goes through.
 */
export class WriteHealth {
  #failure: Error | undefined

  /** The error of the last failed write, while no commit has succeeded since. */
  get failure(): Error | undefined {
    return this.#failure
  }

  /** Notes a failed statement; only failures of the database itself count, not refused rows. */
  failed(error: unknown): void {
    if (isDatabaseUnavailable(error)) this.#failure = error as Error
  }

  succeeded(): void {
    this.#failure = undefined
  }
}
