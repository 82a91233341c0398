import { Badge } from '@mantine/core'
import type { DeliveryState } from './delivery-states.ts'

// Dark shades: white text on them passes WCAG AA.
const STATE_COLOURS = {
  pending: 'blue.9',
  delivered: 'teal.9',
  failed: 'red.9',
  cancelled: 'gray.7',
} as const

/** A delivery's state, in words on a colour. */
export function StateBadge({ state }: { state: DeliveryState }) {
  return <Badge color={STATE_COLOURS[state]}>{state}</Badge>
}
