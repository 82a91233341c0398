import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core'
import { Link } from '@tanstack/react-router'
import { type FormEvent, useState } from 'react'
import { ApiError } from '../api/api-error.ts'
import { api } from '../api/client.ts'

/**
 * Where an invite link leads (`/accept-invite#token=…`): the invited person sets a password.
 * The token is in the fragment, which the browser never sends to a server or in a Referer.
 */
export function AcceptInvitePage() {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? ''
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState(false)

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const password = String(form.get('password'))
    if (password !== String(form.get('repeat'))) {
      setError('The two passwords differ.')
      return
    }
    setBusy(true)
    setError(undefined)
    const { error: refusal, response } = await api.POST('/api/v1/auth/accept-invite', {
      body: { token, password },
    })
    setBusy(false)
    if (response.ok) setDone(true)
    else setError(new ApiError(response.status, refusal).message)
  }

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={420} component="main">
        <Title order={1} size="h2" mb="md">
          Set your password
        </Title>
        {done ? (
          <Stack>
            <Alert
              color="teal"
              role="status"
              title="Your password is set"
              styles={{ title: { color: 'var(--mantine-color-text)' } }}
            >
              <Text size="sm">Sign in with your email and this password.</Text>
            </Alert>
            <Button component={Link} to="/sign-in" search>
              Go to sign in
            </Button>
          </Stack>
        ) : !token ? (
          <Alert color="red" role="alert" title="This link has no invite in it">
            Open the whole link from the invite, or ask an admin for a new one.
          </Alert>
        ) : (
          <form aria-label="Set your password" onSubmit={submit}>
            <Stack>
              {error && (
                <Alert color="red" role="alert" title="Password not set">
                  {error}
                </Alert>
              )}
              <PasswordInput
                label="New password"
                name="password"
                description="At least 12 characters, not a common one, not your email."
                autoComplete="new-password"
                required
              />
              <PasswordInput
                label="Repeat the password"
                name="repeat"
                autoComplete="new-password"
                required
              />
              <Button type="submit" loading={busy}>
                Set password
              </Button>
            </Stack>
          </form>
        )}
      </Paper>
    </Center>
  )
}
