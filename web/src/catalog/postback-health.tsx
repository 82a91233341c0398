import { Badge } from '@mantine/core'
import type { Endpoint } from '../api/api-types.ts'

/** How an endpoint is doing, from its `enabled`, `disabled_at` and `failing_since`. */
export function postbackHealth(endpoint: Endpoint): {
  label: string
  color: string
  detail: string
} {
  if (!endpoint.enabled) {
    return {
      label: 'disabled',
      color: 'red.9',
      detail: endpoint.failing_since
        ? `Disabled on ${when(endpoint.disabled_at)} after failing since ${when(endpoint.failing_since)}. Its deliveries wait until it is enabled again.`
        : `Disabled by hand on ${when(endpoint.disabled_at)}. Its deliveries wait until it is enabled again.`,
    }
  }
  if (endpoint.failing_since) {
    return {
      label: 'failing',
      color: 'orange.9',
      detail: `Every attempt has failed since ${when(endpoint.failing_since)}. After 5 failures in a row its circuit opens (one probe after a cooldown); after 24 hours of failures it is disabled.`,
    }
  }
  return {
    label: 'healthy',
    color: 'teal.9',
    detail: 'Its last delivery attempt succeeded, or none failed yet.',
  }
}

export function HealthBadge({ endpoint }: { endpoint: Endpoint }) {
  const health = postbackHealth(endpoint)
  return <Badge color={health.color}>{health.label}</Badge>
}

function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : 'an unknown time'
}
