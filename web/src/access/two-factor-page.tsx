import { Alert, Anchor, Button, Group, List, Paper, Stack, Text, TextInput } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { dataOrThrow } from '../api/api-error.ts'
import { api } from '../api/client.ts'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { PageTitle } from '../shell/app-shell.tsx'
import { QrCode } from './qr-code.tsx'
import { SESSION_QUERY, useSession } from './session.ts'
import { ShownOnce } from './shown-once.tsx'

/**
 * Two-factor for the signed-in person: start (a secret for the authenticator app), confirm with
 * a code (ten recovery codes, shown once), or turn it off. Staff land here first when the server
 * requires it of them.
 */
export function TwoFactorPage() {
  const session = useSession()
  const queryClient = useQueryClient()
  const user = session?.user
  const required = session?.kind === 'user' && session.twoFactorSetupRequired
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>()
  // The session (and the user's `two_factor`) as the server sees it now.
  const reloadSession = () => queryClient.invalidateQueries({ queryKey: SESSION_QUERY.queryKey })

  const start = useMutation({
    mutationFn: async () => dataOrThrow(await api.POST('/api/v1/me/totp')),
  })
  const confirm = useMutation({
    mutationFn: async (code: string) =>
      dataOrThrow(await api.POST('/api/v1/me/totp/confirm', { body: { code } })),
    onSuccess: async (answer) => {
      setRecoveryCodes(answer.recovery_codes)
      start.reset()
      await reloadSession()
    },
  })
  const turnOff = useMutation({
    mutationFn: async () => {
      const { error, response } = await api.DELETE('/api/v1/me/totp')
      dataOrThrow({ data: null, error, response })
    },
    onSuccess: reloadSession,
  })

  const onConfirm = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const code = String(new FormData(event.currentTarget).get('code')).replace(/\s/g, '')
    confirm.mutate(code)
  }

  if (!user) {
    return (
      <>
        <PageTitle>Two-factor</PageTitle>
        <Text>Two-factor belongs to a person: sign in with your email to set it up.</Text>
      </>
    )
  }
  return (
    <>
      <PageTitle>Two-factor</PageTitle>
      {required && (
        <Alert
          color="blue"
          title="Set up two-factor to continue"
          mb="md"
          maw={640}
          styles={{ title: { color: 'var(--mantine-color-text)' } }}
        >
          Your role must use an authenticator app on this server. Everything else opens once it is
          on.
        </Alert>
      )}
      {recoveryCodes && (
        <Paper withBorder p="md" mb="md" maw={640} component="section" aria-label="Recovery codes">
          <Text fw={600}>Two-factor is on. Keep these recovery codes somewhere safe.</Text>
          <Text size="sm" mb="xs">
            Each signs you in once without the app. They are shown this once.
          </Text>
          <List ff="monospace" size="sm">
            {recoveryCodes.map((code) => (
              <List.Item key={code}>{code}</List.Item>
            ))}
          </List>
        </Paper>
      )}
      <Paper withBorder p="md" maw={640}>
        {user.two_factor ? (
          <Stack>
            <Text>Two-factor is on: signing in asks for the code from your authenticator app.</Text>
            <ErrorAlert error={turnOff.error} title="Still on" />
            <Group>
              <Button
                variant="default"
                onClick={() => turnOff.mutate()}
                loading={turnOff.isPending}
              >
                Turn two-factor off
              </Button>
            </Group>
          </Stack>
        ) : start.data ? (
          <Stack>
            <Group align="flex-start" wrap="nowrap">
              <QrCode text={start.data.otpauth_url} label="QR code for your authenticator app" />
              <ShownOnce
                title="Scan this code with your authenticator app"
                label="Secret"
                value={start.data.secret}
                note="Or type the secret in, or open the link on a phone that has the app. Then enter the code it shows."
              />
            </Group>
            <Anchor href={start.data.otpauth_url} size="sm">
              Open in an authenticator app
            </Anchor>
            <form aria-label="Confirm two-factor" onSubmit={onConfirm}>
              <Stack>
                <ErrorAlert error={confirm.error} title="Not turned on" />
                <TextInput
                  label="Code"
                  name="code"
                  description="The 6 digits the app shows now."
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  required
                />
                <Group>
                  <Button type="submit" loading={confirm.isPending}>
                    Turn two-factor on
                  </Button>
                </Group>
              </Stack>
            </form>
          </Stack>
        ) : (
          <Stack>
            <Text>
              Two-factor is off. With it on, signing in also asks for a code from an authenticator
              app on your phone.
            </Text>
            <ErrorAlert error={start.error} title="Could not start" />
            <Group>
              <Button onClick={() => start.mutate()} loading={start.isPending}>
                Set up two-factor
              </Button>
            </Group>
          </Stack>
        )}
      </Paper>
    </>
  )
}
