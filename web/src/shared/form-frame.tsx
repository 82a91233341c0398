import { Button, Group, Paper, Stack, Text } from '@mantine/core'
import type { FormEvent, ReactNode } from 'react'
import { ErrorAlert } from './error-alert.tsx'

/** A create or edit form: its error in words, its fields, and the submit button if allowed. */
export function FormFrame({
  label,
  onSubmit,
  error,
  busy,
  submit,
  allowed = true,
  children,
}: {
  label: string
  onSubmit: (event?: FormEvent<HTMLFormElement>) => void
  error: string | undefined
  busy: boolean
  submit: string
  /** False for a role that may read but not save this: the fields are disabled, no button. */
  allowed?: boolean
  children: ReactNode
}) {
  return (
    <Paper withBorder p="lg" maw={640}>
      <form aria-label={label} onSubmit={onSubmit} noValidate>
        {error && <ErrorAlert error={error} title="Not saved" />}
        <fieldset disabled={!allowed} style={{ border: 0, margin: 0, padding: 0, minWidth: 0 }}>
          <Stack>
            {children}
            <Group justify="flex-end">
              {allowed ? (
                <Button type="submit" loading={busy}>
                  {submit}
                </Button>
              ) : (
                <Text size="sm" c="dimmed">
                  Your role may read this, not change it.
                </Text>
              )}
            </Group>
          </Stack>
        </fieldset>
      </form>
    </Paper>
  )
}
