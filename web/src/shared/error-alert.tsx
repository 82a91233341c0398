import { Alert } from '@mantine/core'

/** A failed request in words: the API's message, never a stack. */
export function ErrorAlert({
  error,
  title = 'Something went wrong',
}: {
  error: unknown
  title?: string
}) {
  if (!error) return null
  return (
    <Alert color="red" title={title} role="alert" mb="md">
      {error instanceof Error ? error.message : String(error)}
    </Alert>
  )
}
