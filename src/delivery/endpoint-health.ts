import type { AttemptOutcome } from './send-attempt.ts'

/** Consecutive failures that open an endpoint's circuit. */
export const CIRCUIT_THRESHOLD = 5
export const CIRCUIT_MAX_COOLDOWN_MS = 10 * 60_000
/** An endpoint failing this long without a single success is disabled. */
export const DISABLE_AFTER_MS = 24 * 3_600_000

export interface EndpointHealth {
  consecutive_failures: number
  failing_since: number | null
  circuit_open_until: number | null
  circuit_cooldown_ms: number | null
  disabled_at: number | null
}

export const HEALTHY: EndpointHealth = {
  consecutive_failures: 0,
  failing_since: null,
  circuit_open_until: null,
  circuit_cooldown_ms: null,
  disabled_at: null,
}

/**
 * Folds an endpoint's attempt results, in order, into its health. Any success closes the circuit.
 * From the threshold on, every failure (re)opens it for a cooldown that starts at the first retry
 * delay and doubles each time, up to 10 minutes: while open, its deliveries wait unclaimed and
 * spend no attempts. Failing for 24 h straight disables the endpoint.
 */
export function foldHealth(
  current: EndpointHealth,
  results: ReadonlyArray<{ at: number; outcome: AttemptOutcome }>,
  baseCooldownMs: number,
): EndpointHealth {
  let health = current
  for (const result of results) {
    if (result.outcome === 'delivered') {
      health = { ...HEALTHY, disabled_at: health.disabled_at }
      continue
    }
    const failures = health.consecutive_failures + 1
    const failingSince = health.failing_since ?? result.at
    let { circuit_open_until, circuit_cooldown_ms } = health
    if (failures >= CIRCUIT_THRESHOLD && (circuit_open_until ?? 0) <= result.at) {
      circuit_cooldown_ms =
        circuit_cooldown_ms === null
          ? Math.max(baseCooldownMs, 100)
          : Math.min(circuit_cooldown_ms * 2, CIRCUIT_MAX_COOLDOWN_MS)
      circuit_open_until = result.at + circuit_cooldown_ms
    }
    const disabled =
      health.disabled_at ?? (result.at - failingSince >= DISABLE_AFTER_MS ? result.at : null)
    health = {
      consecutive_failures: failures,
      failing_since: failingSince,
      circuit_open_until,
      circuit_cooldown_ms,
      disabled_at: disabled,
    }
  }
  return health
}

/** Disabled, or its circuit open: its deliveries wait unclaimed and unsent. */
export function isBlocked(health: EndpointHealth, now: number): boolean {
  return health.disabled_at !== null || (health.circuit_open_until ?? 0) > now
}

/** No failure since the last success: a success changes nothing and needs no health write. */
export function isHealthy(health: EndpointHealth): boolean {
  return health.consecutive_failures === 0 && health.failing_since === null
}

/** Half-open: the cooldown is over but the endpoint has not answered well yet; one probe at a time. */
export function isHalfOpen(health: EndpointHealth): boolean {
  return health.consecutive_failures >= CIRCUIT_THRESHOLD
}

export function sameHealth(a: EndpointHealth, b: EndpointHealth): boolean {
  return (
    a.consecutive_failures === b.consecutive_failures &&
    a.failing_since === b.failing_since &&
    a.circuit_open_until === b.circuit_open_until &&
    a.circuit_cooldown_ms === b.circuit_cooldown_ms &&
    a.disabled_at === b.disabled_at
  )
}
