import { Button, Paper, Table, TextInput, Title } from '@mantine/core'
import type { UseFormReturnType } from '@mantine/form'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { ApiKey, CreatedApiKey } from '../api/api-types.ts'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { FormFrame } from '../shared/form-frame.tsx'
import { useApiForm } from '../shared/use-api-form.ts'
import { PageTitle } from '../shell/app-shell.tsx'
import { apiKeysQuery, createApiKey, revokeApiKey } from './access-queries.ts'
import { isRole } from './roles.ts'
import { ScopeFields, type ScopeValues, scopeOf } from './scope-fields.tsx'
import { ShownOnce } from './shown-once.tsx'

/** Named keys for scripts: make one (its secret shown once), see when each was used, revoke. */
export function ApiKeysPage() {
  const keys = useQuery(apiKeysQuery())
  const [created, setCreated] = useState<CreatedApiKey>()
  return (
    <>
      <PageTitle>API keys</PageTitle>
      {created && (
        <ShownOnce
          title={`Key "${created.name}" created`}
          label="API key"
          value={created.key}
          note="Copy it now: it is shown this once and stored only as a hash. Send it as Authorization: Bearer <key>."
        />
      )}
      <CreateKeyForm onCreated={setCreated} />
      <Title order={2} size="h4" mt="xl" mb="sm">
        Keys
      </Title>
      <ErrorAlert error={keys.error} title="Could not load keys" />
      {keys.isSuccess && keys.data.data.length === 0 ? (
        <EmptyState title="No keys yet" next="Create one above for a script or an integration." />
      ) : (
        <KeysTable keys={keys.data?.data ?? []} />
      )}
    </>
  )
}

function CreateKeyForm({ onCreated }: { onCreated: (key: CreatedApiKey) => void }) {
  const queryClient = useQueryClient()
  const { form, onSubmit, error, busy } = useApiForm({
    initialValues: { name: '', role: '', affiliate_id: '', advertiser_id: '' },
    validate: { name: (name) => (name.trim() === '' ? 'is required' : null) },
    save: (values) =>
      createApiKey({
        name: values.name.trim(),
        ...(isRole(values.role) ? { role: values.role } : {}),
        ...scopeOf(values),
      }),
    saved: async (created) => {
      onCreated(created)
      form.reset()
      await queryClient.invalidateQueries({ queryKey: ['api-keys'] })
    },
    message: 'Key created',
  })
  return (
    <FormFrame
      label="Create a key"
      onSubmit={onSubmit}
      error={error}
      busy={busy}
      submit="Create key"
    >
      <TextInput
        label="Name"
        description="What uses it, to know which to revoke."
        withAsterisk
        {...form.getInputProps('name')}
      />
      <ScopeFields form={form as unknown as UseFormReturnType<ScopeValues>} optional />
    </FormFrame>
  )
}

function KeysTable({ keys }: { keys: ApiKey[] }) {
  const queryClient = useQueryClient()
  const revoke = useMutation({
    mutationFn: revokeApiKey,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['api-keys'] }),
  })
  return (
    <Paper withBorder>
      <ErrorAlert error={revoke.error} title="Not revoked" />
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>For</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((key) => {
            const name = key.name ?? (key.affiliate_id ? 'Affiliate key' : 'Bootstrap admin key')
            return (
              <Table.Tr key={key.id}>
                <Table.Td>{name}</Table.Td>
                <Table.Td>{key.role}</Table.Td>
                <Table.Td>
                  {key.affiliate_id
                    ? `affiliate ${key.affiliate_id}`
                    : key.advertiser_id
                      ? `advertiser ${key.advertiser_id}`
                      : 'the network'}
                </Table.Td>
                <Table.Td>{new Date(key.created_at).toLocaleString()}</Table.Td>
                <Table.Td>
                  {key.last_used_at ? new Date(key.last_used_at).toLocaleString() : 'never'}
                </Table.Td>
                <Table.Td>
                  <Button
                    size="compact-sm"
                    variant="light"
                    color="red"
                    aria-label={`Revoke ${name}`}
                    loading={revoke.isPending && revoke.variables === key.id}
                    onClick={() => revoke.mutate(key.id)}
                  >
                    Revoke
                  </Button>
                </Table.Td>
              </Table.Tr>
            )
          })}
        </Table.Tbody>
      </Table>
    </Paper>
  )
}
