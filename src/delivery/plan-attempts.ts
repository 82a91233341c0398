import { type EndpointHealth, isBlocked, isHalfOpen } from './endpoint-health.ts'

/** The worker's limits on attempts in flight. */
export interface AttemptLimits {
  /** Attempts in flight at once in this process. */
  concurrency: number
  /** Attempts in flight at once to one endpoint from this process. */
  endpointConcurrency: number
}

/** Where the worker stands, as a claim is considered. */
export interface ClaimState {
  /** Deliveries claimed and not yet recorded. */
  held: number
  /** Of those, finished attempts waiting to be recorded: they keep their lease but take no room. */
  waiting: number
  /** Per endpoint, deliveries claimed here and not yet started. */
  queued: ReadonlyMap<number, number>
  /** Endpoints blocked by results the database does not know of yet. */
  blockedUnrecorded: readonly number[]
  /** Results wait for the database to come back: a claim would take leases it cannot keep. */
  recorderStalled: boolean
}

/** How many deliveries to claim, and which endpoints' deliveries to leave unclaimed. */
export interface ClaimPlan {
  limit: number
  skip: number[]
}

/**
 * Whether to claim now, and how much. The worker holds up to twice its concurrency, so the next
 * attempts are queued as the current ones finish; it claims only once a quarter of that room is
 * free (or it holds nothing), so that claims come in batches rather than one per finished
 * attempt. Endpoints with a full queue here, or blocked, are skipped. Nothing is claimed while
 * results wait for an unavailable database.
 */
export function planClaim(state: ClaimState, limits: AttemptLimits): ClaimPlan | undefined {
  if (state.recorderStalled) return undefined
  const room = limits.concurrency * 2 - state.held + state.waiting
  if (room < Math.max(1, limits.concurrency / 4) && state.held > 0) return undefined
  const skip: number[] = []
  for (const [id, queued] of state.queued) {
    if (queued >= limits.endpointConcurrency) skip.push(id)
  }
  skip.push(...state.blockedUnrecorded)
  return { limit: room, skip }
}

/** How long to wait before the next claim: none after a full batch, since more may be due. */
export function nextClaimDelay(asked: number, claimed: number, pollMs: number): number {
  return claimed > 0 && claimed === asked ? 0 : pollMs
}

/** An endpoint with deliveries queued here, as the next attempts are chosen. */
export interface EndpointLoad {
  /** Undefined when the endpoint was not read with the claim. */
  health: EndpointHealth | undefined
  queued: number
  inFlight: number
}

export interface AttemptPlan {
  /** Per endpoint, how many of its queued deliveries to start now, from the front. */
  start: Map<number, number>
  /** Endpoints whose queued deliveries go back unclaimed: blocked since they were claimed. */
  release: number[]
}

/**
 * Which queued deliveries to start: in the order the endpoints are given, while there is room
 * overall and per endpoint. A half-open endpoint gets one probe at a time; a blocked one (its
 * circuit opened or it was disabled since the claim) gets none and its deliveries are released.
 */
export function planAttempts(
  endpoints: ReadonlyMap<number, EndpointLoad>,
  inFlight: number,
  now: number,
  limits: AttemptLimits,
): AttemptPlan {
  const plan: AttemptPlan = { start: new Map(), release: [] }
  let free = limits.concurrency - inFlight
  for (const [id, load] of endpoints) {
    if (!load.health || isBlocked(load.health, now)) {
      plan.release.push(id)
      continue
    }
    const limit = isHalfOpen(load.health) ? 1 : limits.endpointConcurrency
    const count = Math.max(0, Math.min(load.queued, limit - load.inFlight, free))
    if (count > 0) plan.start.set(id, count)
    free -= count
  }
  return plan
}
