import { Button, Group, Paper, Stack } from '@mantine/core'
import type { FormEvent, ReactNode } from 'react'
import { ErrorAlert } from './error-alert.tsx'

/** A create or edit form: its error in words above, its fields, and the submit button. */
export function FormFrame({
  label,
  onSubmit,
  error,
  busy,
  submit,
  children,
}: {
  label: string
  onSubmit: (event?: FormEvent<HTMLFormElement>) => void
  error: string | undefined
  busy: boolean
  submit: string
  children: ReactNode
}) {
  return (
    <Paper withBorder p="lg" maw={640}>
      <form aria-label={label} onSubmit={onSubmit} noValidate>
        {error && <ErrorAlert error={error} title="Not saved" />}
        <Stack>
          {children}
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              {submit}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  )
}
