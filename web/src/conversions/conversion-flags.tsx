import { Badge, Group, Text } from '@mantine/core'
import type { Conversion } from '../api/api-types.ts'

// Dark shades: white text on them passes WCAG AA.
const ACTION_COLOURS = { allow: 'gray.8', hold: 'grape.9', reject: 'red.9' } as const

/** The fraud rules a conversion tripped, each with what was seen against its limit. */
export function ConversionFlags({ flags }: { flags: Conversion['flags'] }) {
  if (flags.length === 0) return <Text size="sm">—</Text>
  return (
    <Group gap={4}>
      {flags.map((flag) => (
        <Badge
          key={flag.rule}
          color={ACTION_COLOURS[flag.action]}
          tt="none"
          title={`observed ${String(flag.observed)}${flag.limit === null ? '' : `, limit ${String(flag.limit)}`}: ${flag.action}`}
        >
          {flag.rule}: {String(flag.observed)}
          {flag.limit === null ? '' : ` / ${String(flag.limit)}`}
        </Badge>
      ))}
    </Group>
  )
}
