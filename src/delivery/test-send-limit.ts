import type { FastifyReply } from 'fastify'
import type { Principal } from '../access/index.ts'
import { AppError } from '../http/errors.ts'

/** Test sends an affiliate key may make per minute; admin keys are not limited. */
export const TEST_SENDS_PER_MINUTE = 10

const WINDOW_MS = 60_000

/**
 * Counts each affiliate's test sends over the last minute (a sliding window of their times), so a
 * partner cannot turn `POST /postbacks/{id}/test` into a request cannon aimed at whatever its
 * endpoint URL names. Kept in memory per process: a few servers behind a balancer each allow the
 * limit, which still bounds the abuse; the real deliveries have their own pacing.
 */
export class TestSendLimit {
  readonly #sends = new Map<number, number[]>()
  readonly #limit: number

  constructor(limit = TEST_SENDS_PER_MINUTE) {
    this.#limit = limit
  }

  /**
   * Takes one send for an affiliate or advertiser caller, or answers `429 rate_limited` with
   * `Retry-After`. Advertisers count under their negated id, so the two never share a window.
   */
  enforce(principal: Principal, reply: FastifyReply): void {
    if (principal.role !== 'affiliate' && principal.role !== 'advertiser') return
    const key = principal.role === 'affiliate' ? principal.affiliateId : -principal.advertiserId
    const wait = this.take(key)
    if (wait === undefined) return
    reply.header('retry-after', String(wait))
    throw new AppError(
      'rate_limited',
      `at most ${this.#limit} test sends a minute per ${principal.role}; retry in ${wait} s`,
    )
  }

  /** Takes one send for the affiliate: undefined if allowed, else the seconds until one frees. */
  take(affiliateId: number, now = Date.now()): number | undefined {
    const recent = (this.#sends.get(affiliateId) ?? []).filter((at) => at > now - WINDOW_MS)
    if (recent.length >= this.#limit) {
      this.#sends.set(affiliateId, recent)
      return Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - now) / 1000))
    }
    recent.push(now)
    this.#sends.set(affiliateId, recent)
    this.#forgetIdle(now)
    return undefined
  }

  // Affiliates whose sends are all older than the window need no entry.
  #forgetIdle(now: number): void {
    if (this.#sends.size < 1000) return
    for (const [id, times] of this.#sends) {
      if (times.every((at) => at <= now - WINDOW_MS)) this.#sends.delete(id)
    }
  }
}
