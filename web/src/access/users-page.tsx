import { Badge, Button, Group, Paper, Select, Table, TextInput, Title } from '@mantine/core'
import type { UseFormReturnType } from '@mantine/form'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { CreatedUser, User, UserChange } from '../api/api-types.ts'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { FormFrame } from '../shared/form-frame.tsx'
import { useApiForm } from '../shared/use-api-form.ts'
import { PageTitle } from '../shell/app-shell.tsx'
import { changeUser, inviteUser, newInvite, usersQuery } from './access-queries.ts'
import { isRole, ROLE_CHOICES } from './roles.ts'
import { ScopeFields, type ScopeValues, scopeOf } from './scope-fields.tsx'
import { useSession } from './session.ts'
import { ShownOnce } from './shown-once.tsx'

/** Admins: who may sign in, with which role; invite, disable, change a role, send a new invite. */
export function UsersPage() {
  const users = useQuery(usersQuery())
  const [invite, setInvite] = useState<CreatedUser>()
  return (
    <>
      <PageTitle>Users</PageTitle>
      {invite && (
        <ShownOnce
          title={`Invite link for ${invite.email}`}
          label="Invite link"
          value={invite.invite_url}
          note={`${invite.invite_mailed ? 'Mailed to them too. ' : ''}Shown this once; it works once, until ${new Date(invite.invite_expires_at).toLocaleString()}.`}
        />
      )}
      <InviteForm onInvited={setInvite} />
      <Title order={2} size="h4" mt="xl" mb="sm">
        People
      </Title>
      <ErrorAlert error={users.error} title="Could not load users" />
      <UsersTable users={users.data?.data ?? []} onInvited={setInvite} />
    </>
  )
}

function InviteForm({ onInvited }: { onInvited: (user: CreatedUser) => void }) {
  const queryClient = useQueryClient()
  const { form, onSubmit, error, busy } = useApiForm({
    initialValues: { email: '', name: '', role: 'analyst', affiliate_id: '', advertiser_id: '' },
    validate: {
      email: (email) => (email.trim() === '' ? 'is required' : null),
      role: (role) => (isRole(role) ? null : 'is required'),
    },
    save: (values) =>
      inviteUser({
        email: values.email.trim(),
        ...(values.name.trim() ? { name: values.name.trim() } : {}),
        role: isRole(values.role) ? values.role : 'analyst',
        ...scopeOf(values),
      }),
    saved: async (created) => {
      onInvited(created)
      form.reset()
      await queryClient.invalidateQueries({ queryKey: ['users'] })
    },
    message: 'User invited',
  })
  return (
    <FormFrame
      label="Invite a user"
      onSubmit={onSubmit}
      error={error}
      busy={busy}
      submit="Invite user"
    >
      <Group grow align="flex-start">
        <TextInput label="Email" type="email" withAsterisk {...form.getInputProps('email')} />
        <TextInput label="Name" {...form.getInputProps('name')} />
      </Group>
      <ScopeFields form={form as unknown as UseFormReturnType<ScopeValues>} />
    </FormFrame>
  )
}

function UsersTable({
  users,
  onInvited,
}: {
  users: User[]
  onInvited: (user: CreatedUser) => void
}) {
  const queryClient = useQueryClient()
  const me = useSession()?.user
  const change = useMutation({
    mutationFn: ({ id, body }: { id: string; body: UserChange }) => changeUser(id, body),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  })
  const reset = useMutation({ mutationFn: newInvite, onSuccess: onInvited })
  return (
    <Paper withBorder>
      <ErrorAlert error={change.error ?? reset.error} title="Not changed" />
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Email</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Last sign-in</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((user) => (
            <Table.Tr key={user.id}>
              <Table.Td>{user.email}</Table.Td>
              <Table.Td>{user.name}</Table.Td>
              <Table.Td>
                {/* Staff roles change here; an affiliate's or advertiser's people keep theirs. */}
                <Select
                  aria-label={`Role of ${user.email}`}
                  size="xs"
                  w={130}
                  allowDeselect={false}
                  disabled={user.id === me?.id}
                  data={ROLE_CHOICES.map((choice) => ({
                    value: choice.value,
                    label: choice.value,
                    disabled:
                      choice.value !== user.role &&
                      (choice.value === 'affiliate' || choice.value === 'advertiser'),
                  }))}
                  value={user.role}
                  onChange={(role) => {
                    if (isRole(role) && role !== user.role)
                      change.mutate({ id: user.id, body: { role } })
                  }}
                />
              </Table.Td>
              <Table.Td>
                <UserState user={user} />
              </Table.Td>
              <Table.Td>
                {user.last_login_at ? new Date(user.last_login_at).toLocaleString() : 'never'}
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  {user.id !== me?.id && (
                    <Button
                      size="compact-sm"
                      variant={user.disabled ? 'default' : 'light'}
                      color="red"
                      aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.email}`}
                      onClick={() =>
                        change.mutate({ id: user.id, body: { disabled: !user.disabled } })
                      }
                    >
                      {user.disabled ? 'Enable' : 'Disable'}
                    </Button>
                  )}
                  <Button
                    size="compact-sm"
                    variant="default"
                    aria-label={`New invite link for ${user.email}`}
                    onClick={() => reset.mutate(user.id)}
                  >
                    New invite link
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  )
}

function UserState({ user }: { user: User }) {
  if (user.disabled) return <Badge color="red.9">disabled</Badge>
  if (!user.has_password) return <Badge color="violet.9">invited</Badge>
  return (
    <Group gap={4}>
      <Badge color="teal.9">active</Badge>
      {user.two_factor && <Badge color="blue.9">two-factor</Badge>}
    </Group>
  )
}
