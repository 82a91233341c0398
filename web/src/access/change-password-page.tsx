import { PasswordInput, Text } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { dataOrThrow } from '../api/api-error.ts'
import { api } from '../api/client.ts'
import { forgetCredentials } from '../api/credentials.ts'
import { FormFrame } from '../shared/form-frame.tsx'
import { useApiForm } from '../shared/use-api-form.ts'
import { PageTitle } from '../shell/app-shell.tsx'
import { useSession } from './session.ts'

/**
 * The signed-in person changes their password. The server ends every session of theirs, this
 * one too, so the page sends them to sign in with the new one.
 */
export function ChangePasswordPage() {
  const session = useSession()
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const { form, onSubmit, error, busy } = useApiForm({
    initialValues: { current_password: '', new_password: '', repeat_password: '' },
    validate: {
      current_password: (value) => (value === '' ? 'is required' : null),
      new_password: (value) => (value.length < 12 ? 'needs at least 12 characters' : null),
      repeat_password: (value, values) =>
        value === values.new_password ? null : 'is not the same as the new password',
    },
    save: async ({ current_password, new_password }) => {
      const { error, response } = await api.POST('/api/v1/me/password', {
        body: { current_password, new_password },
      })
      dataOrThrow({ data: null, error, response })
    },
    saved: async () => {
      forgetCredentials()
      queryClient.clear()
      await navigate({ to: '/sign-in', search: {} })
    },
    message: 'Password changed. Sign in again with the new one.',
  })
  if (!session?.user || session.kind === 'key') {
    return (
      <>
        <PageTitle>Change password</PageTitle>
        <Text>A password belongs to a person: sign in with your email to change yours.</Text>
      </>
    )
  }
  return (
    <>
      <PageTitle>Change password</PageTitle>
      <FormFrame
        label="Change password"
        onSubmit={onSubmit}
        error={error}
        busy={busy}
        submit="Change password"
      >
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          withAsterisk
          {...form.getInputProps('current_password')}
        />
        <PasswordInput
          label="New password"
          description="At least 12 characters, not a common one. Every session of yours ends: you sign in again."
          autoComplete="new-password"
          withAsterisk
          {...form.getInputProps('new_password')}
        />
        <PasswordInput
          label="Repeat new password"
          autoComplete="new-password"
          withAsterisk
          {...form.getInputProps('repeat_password')}
        />
      </FormFrame>
    </>
  )
}
