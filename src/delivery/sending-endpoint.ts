import type { ClaimedEndpoint } from '../db/delivery-queries.ts'
import type { EndpointHealth } from './endpoint-health.ts'

export interface SendingEndpoint {
  id: number
  /** Newest first: the current secret, then a rotated-out one still inside its 24 h. */
  secrets: string[]
  health: EndpointHealth
}

/** What the worker keeps of an endpoint it claimed deliveries for: secrets and health. */
export function sendingEndpoint(row: ClaimedEndpoint, now: number): SendingEndpoint {
  return {
    id: row.id,
    secrets: signingSecrets(row, now),
    health: {
      consecutive_failures: row.consecutive_failures,
      failing_since: row.failing_since,
      circuit_open_until: row.circuit_open_until,
      circuit_cooldown_ms: row.circuit_cooldown_ms,
      disabled_at: row.disabled_at,
    },
  }
}

/** The secrets an endpoint signs with now: its own, plus the previous one until it expires. */
export function signingSecrets(
  row: {
    signing_secret: string | null
    previous_signing_secret: string | null
    previous_secret_expires_at: number | null
  },
  now: number,
): string[] {
  if (row.signing_secret === null) return []
  const previous =
    row.previous_signing_secret !== null && (row.previous_secret_expires_at ?? 0) > now
      ? [row.previous_signing_secret]
      : []
  return [row.signing_secret, ...previous]
}
