import {
  Alert,
  Anchor,
  Button,
  Center,
  Collapse,
  Paper,
  PasswordInput,
  Stack,
  TextInput,
  Title,
} from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { useQueryClient } from '@tanstack/react-query'
import { getRouteApi, useNavigate } from '@tanstack/react-router'
import { type FormEvent, useState } from 'react'
import { ApiError } from '../api/api-error.ts'
import type { Session } from './session.ts'
import { signInWithApiKey, signInWithPassword } from './sign-in.ts'

const route = getRouteApi('/sign-in')

/** Email and password; an API key under "advanced" for the bootstrap admin and scripts. */
export function SignInPage() {
  const { redirect } = route.useSearch()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const [withKey, { toggle }] = useDisclosure(false)
  // Shown once the server asks for it (`code_required`): the account has two-factor on.
  const [needsCode, setNeedsCode] = useState(false)

  const submit =
    (attempt: (form: FormData) => Promise<Session>) =>
    async (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault()
      setBusy(true)
      setError(undefined)
      try {
        const session = await attempt(new FormData(event.currentTarget))
        queryClient.setQueryData(['session'], session)
        await navigate({ to: redirect?.startsWith('/') ? redirect : '/' })
      } catch (failure) {
        if (failure instanceof ApiError && failure.code === 'code_required') setNeedsCode(true)
        setError(failure instanceof Error ? failure.message : String(failure))
      } finally {
        setBusy(false)
      }
    }

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={380} component="main">
        <Title order={1} size="h2" mb="md">
          Sign in to Backtrack
        </Title>
        {error && (
          <Alert color="red" mb="md" role="alert" title="Could not sign in">
            {error}
          </Alert>
        )}
        <form
          aria-label="Sign in with email"
          onSubmit={submit((form) =>
            signInWithPassword({
              email: String(form.get('email')),
              password: String(form.get('password')),
              ...(needsCode ? { code: String(form.get('code')).replace(/\s/g, '') } : {}),
            }),
          )}
        >
          <Stack>
            <TextInput label="Email" name="email" type="email" autoComplete="username" required />
            <PasswordInput
              label="Password"
              name="password"
              autoComplete="current-password"
              required
            />
            {needsCode && (
              <TextInput
                label="Code"
                name="code"
                description="From your authenticator app, or one of your recovery codes."
                autoComplete="one-time-code"
                required
              />
            )}
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
          </Stack>
        </form>
        <Anchor
          component="button"
          type="button"
          size="sm"
          mt="lg"
          onClick={toggle}
          aria-expanded={withKey}
        >
          Sign in with an API key (advanced)
        </Anchor>
        <Collapse expanded={withKey}>
          <form
            aria-label="Sign in with an API key"
            onSubmit={submit((form) => signInWithApiKey(String(form.get('api_key')).trim()))}
          >
            <Stack mt="sm">
              <PasswordInput
                label="API key"
                name="api_key"
                description="The admin key, or an affiliate's key. Kept in this tab only."
                required
              />
              <Button type="submit" variant="light" loading={busy}>
                Sign in with key
              </Button>
            </Stack>
          </form>
        </Collapse>
      </Paper>
    </Center>
  )
}
