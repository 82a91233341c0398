import { Paper, Stack, Text } from '@mantine/core'
import type { ReactNode } from 'react'

/** What an empty list says: why it is empty and what to do next (`action`, a link or button). */
export function EmptyState({
  title,
  next,
  action,
}: {
  title: string
  next: string
  action?: ReactNode
}) {
  return (
    <Paper withBorder p="xl" ta="center">
      <Stack align="center" gap="xs">
        <Text fw={600}>{title}</Text>
        <Text c="dimmed" size="sm">
          {next}
        </Text>
        {action}
      </Stack>
    </Paper>
  )
}
