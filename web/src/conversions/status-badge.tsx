import { Badge } from '@mantine/core'
import type { ConversionStatus } from './conversion-statuses.ts'

// Dark shades: white text on them passes WCAG AA.
const STATUS_COLOURS = { pending: 'blue.9', approved: 'teal.9', rejected: 'red.9' } as const

/** A conversion's status, in words on a colour. */
export function StatusBadge({ status }: { status: ConversionStatus }) {
  return <Badge color={STATUS_COLOURS[status]}>{status}</Badge>
}
