import type { ClaimedEndpoint } from '../db/delivery-queries.ts'
import { type EndpointHealth, foldHealth, isBlocked, isHealthy } from './endpoint-health.ts'
import type { FinishedAttempt } from './record-results.ts'
import type { AttemptResult } from './send-attempt.ts'
import { type SendingEndpoint, sendingEndpoint } from './sending-endpoint.ts'

/**
 * What a worker knows of the endpoints it sends to, their secrets and health: the one place it
 * keeps them. A result is folded into its endpoint's health as soon as it comes, so the next
 * attempt already respects an open circuit; the recorded health (which also counts other
 * workers' results) replaces it once no result newer than it waits to be recorded.
 */
export class KnownEndpoints {
  readonly #baseCooldownMs: number
  readonly #endpoints = new Map<number, SendingEndpoint>()
  /** Per endpoint, finished attempts not recorded yet. */
  readonly #unrecorded = new Map<number, number>()

  constructor(baseCooldownMs: number) {
    this.#baseCooldownMs = baseCooldownMs
  }

  get(id: number): SendingEndpoint | undefined {
    return this.#endpoints.get(id)
  }

  /** Whether the endpoint was last seen healthy (its successes then need no health write). */
  knownHealthy(id: number): boolean {
    const health = this.#endpoints.get(id)?.health
    return health !== undefined && isHealthy(health)
  }

  /**
   * Endpoints blocked by results not yet recorded: the database does not know of them yet, so a
   * claim must skip them itself.
   */
  blockedUnrecorded(now: number): number[] {
    const ids: number[] = []
    for (const [id, endpoint] of this.#endpoints) {
      if (this.#unrecorded.has(id) && isBlocked(endpoint.health, now)) ids.push(id)
    }
    return ids
  }

  /** The endpoints read with a claim. Health folded from results not yet recorded is newer. */
  claimed(rows: readonly ClaimedEndpoint[], now: number): void {
    for (const row of rows) {
      const endpoint = sendingEndpoint(row, now)
      const known = this.#endpoints.get(endpoint.id)
      if (known && this.#unrecorded.has(endpoint.id)) endpoint.health = known.health
      this.#endpoints.set(endpoint.id, endpoint)
    }
  }

  /** A finished attempt, before its result is recorded. */
  attempted(id: number, result: AttemptResult): void {
    this.#unrecorded.set(id, (this.#unrecorded.get(id) ?? 0) + 1)
    const endpoint = this.#endpoints.get(id)
    if (endpoint) endpoint.health = foldHealth(endpoint.health, [result], this.#baseCooldownMs)
  }

  /** A batch of results recorded, with the endpoints' health as written. */
  recorded(batch: readonly FinishedAttempt[], health: ReadonlyMap<number, EndpointHealth>): void {
    this.#countRecorded(batch)
    for (const [id, next] of health) {
      const endpoint = this.#endpoints.get(id)
      if (endpoint && !this.#unrecorded.has(id)) endpoint.health = next
    }
  }

  /** A batch that could not be recorded: its deliveries are sent again once their leases end. */
  notRecorded(batch: readonly FinishedAttempt[]): void {
    this.#countRecorded(batch)
  }

  #countRecorded(batch: readonly FinishedAttempt[]): void {
    for (const done of batch) {
      const id = done.delivery.postback_id
      const left = (this.#unrecorded.get(id) ?? 1) - 1
      if (left > 0) this.#unrecorded.set(id, left)
      else this.#unrecorded.delete(id)
    }
  }
}
