import type { RateLimitRule } from '../config.ts'
import type { Db } from '../db/database.ts'
import { AppError } from './errors.ts'

/** A refusal: too many failures from this address in the current window. */
export class RateLimited extends AppError {
  readonly retryAfterSeconds: number

  constructor(retryAfterMs: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000))
    super('rate_limited', `too many failed requests from this address; retry in ${seconds} s`)
    this.retryAfterSeconds = seconds
  }
}

/**
 * Counts failures per source address in fixed windows, in the database so every process sharing
 * it sees the same count, and refuses an address once it reaches the limit. Only addresses that
 * have failed in this process during the current window are checked at all: an address that
 * never fails costs no query, so accepted postbacks and good API keys pay nothing.
 */
export class FailureLimiter {
  readonly bucket: string
  readonly rule: RateLimitRule
  readonly #db: Db
  /** Addresses that failed here in the current window, with the last count the database gave. */
  readonly #failing = new Map<string, number>()
  #window = 0

  constructor(db: Db, bucket: string, rule: RateLimitRule) {
    this.#db = db
    this.bucket = bucket
    this.rule = rule
  }

  /** Throws RateLimited when `ip` has used up its failures for the current window. */
  async check(ip: string, now: number): Promise<void> {
    const window = this.#windowOf(now)
    const known = this.#failing.get(ip)
    if (known === undefined) return
    let count = known
    // Other processes may have counted failures of their own since.
    if (count < this.rule.limit) {
      const row = await this.#db
        .selectFrom('rate_limit_counters')
        .select('count')
        .where('bucket', '=', this.bucket)
        .where('ip', '=', ip)
        .where('window_start', '=', window)
        .executeTakeFirst()
      count = Math.max(count, row?.count ?? 0)
      this.#failing.set(ip, count)
    }
    if (count >= this.rule.limit) throw new RateLimited(window + this.rule.windowMs - now)
  }

  /** Counts one failure of `ip`: one upsert of its window's counter row. */
  async fail(ip: string, now: number): Promise<void> {
    const window = this.#windowOf(now)
    const row = await this.#db
      .insertInto('rate_limit_counters')
      .values({ bucket: this.bucket, ip, window_start: window, count: 1 })
      .onConflict((conflict) =>
        conflict
          .columns(['bucket', 'ip', 'window_start'])
          .doUpdateSet((eb) => ({ count: eb('rate_limit_counters.count', '+', 1) })),
      )
      .returning('count')
      .executeTakeFirstOrThrow()
    this.#failing.set(ip, row.count)
  }

  // Windows are fixed and the same in every process; a new one forgets the old one here and
  // deletes its rows (any process may; deleting twice is harmless).
  #windowOf(now: number): number {
    const window = now - (now % this.rule.windowMs)
    if (window !== this.#window) {
      const previous = this.#window
      this.#window = window
      this.#failing.clear()
      if (previous !== 0) void this.#prune(window)
    }
    return window
  }

  async #prune(window: number): Promise<void> {
    try {
      await this.#db
        .deleteFrom('rate_limit_counters')
        .where('bucket', '=', this.bucket)
        .where('window_start', '<', window)
        .execute()
    } catch {
      // Old windows are never read; the next window's prune deletes them.
    }
  }
}
