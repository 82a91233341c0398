import { Button, Group, Paper, Select, Table, Text, TextInput } from '@mantine/core'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { getRouteApi } from '@tanstack/react-router'
import { useState } from 'react'
import { may } from '../access/may.ts'
import { useSession } from '../access/session.ts'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { NextPage } from '../shared/next-page.tsx'
import { useApiForm } from '../shared/use-api-form.ts'
import { PageTitle } from '../shell/app-shell.tsx'
import {
  addBlocklistEntry,
  BLOCKLIST_TYPES,
  type BlocklistType,
  blocklistQuery,
  removeBlocklistEntry,
} from './blocklist-queries.ts'

const route = getRouteApi('/app/blocklist')
const typeLabel = (type: string) => BLOCKLIST_TYPES.find((t) => t.value === type)?.label ?? type

/** Network-wide and per-offer blocklists: matching clicks go to the offer's fallback URL. */
export function BlocklistPage() {
  const search = route.useSearch()
  const navigate = route.useNavigate()
  const filter = (change: Partial<typeof search>) =>
    navigate({ search: (prev) => ({ ...prev, ...change, cursor: undefined }) })
  const session = useSession()
  const canEdit = may(session, 'POST /api/v1/blocklist')
  const list = useQuery(blocklistQuery(search))
  const queryClient = useQueryClient()
  const [removing, setRemoving] = useState<unknown>()
  const remove = async (id: string) => {
    setRemoving(undefined)
    try {
      await removeBlocklistEntry(id)
      await queryClient.invalidateQueries({ queryKey: ['blocklist'] })
    } catch (failure) {
      setRemoving(failure)
    }
  }

  return (
    <>
      <PageTitle>Blocklist</PageTitle>
      <Text size="sm" c="dimmed" mb="md">
        A click that matches an entry goes to the offer's fallback URL (or gets a 404), and counts
        as a blocked click in reports, with the entry's type as its reason.
      </Text>
      {canEdit && <AddEntry />}
      <Group mb="md" align="flex-end">
        <Select
          label="Type"
          placeholder="Any type"
          clearable
          data={BLOCKLIST_TYPES.map((t) => ({ value: t.value, label: t.label }))}
          value={search.type ?? null}
          onChange={(type) => filter({ type: (type as BlocklistType | null) ?? undefined })}
        />
        <TextInput
          label="Scope"
          description="An offer id, or network"
          value={search.offer_id ?? ''}
          onChange={(event) => filter({ offer_id: event.currentTarget.value.trim() || undefined })}
        />
      </Group>
      <ErrorAlert error={list.error} title="Could not load the blocklist" />
      <ErrorAlert error={removing} title="Could not remove the entry" />
      {list.isSuccess && list.data.data.length === 0 ? (
        <EmptyState
          title="Nothing blocked"
          next={
            canEdit
              ? 'Add an IP address, a range, a user agent, a sub id, a source or an affiliate above to send their clicks to the fallback URL.'
              : 'No entries match these filters. Managers and admins add entries here.'
          }
        />
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Type</Table.Th>
              <Table.Th>Value</Table.Th>
              <Table.Th>Scope</Table.Th>
              <Table.Th>Added</Table.Th>
              {canEdit && <Table.Th>Actions</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(list.data?.data ?? []).map((entry) => (
              <Table.Tr key={entry.id}>
                <Table.Td>{typeLabel(entry.type)}</Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>{entry.value}</Table.Td>
                <Table.Td>{entry.offer_id ? `offer ${entry.offer_id}` : 'every offer'}</Table.Td>
                <Table.Td>{new Date(entry.created_at).toLocaleString()}</Table.Td>
                {canEdit && (
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="light"
                      color="red"
                      aria-label={`Remove ${typeLabel(entry.type)} ${entry.value}`}
                      onClick={() => void remove(entry.id)}
                    >
                      Remove
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <NextPage
        cursor={search.cursor}
        nextCursor={list.data?.next_cursor}
        onPage={(cursor) => navigate({ search: (prev) => ({ ...prev, cursor }) })}
      />
    </>
  )
}

function AddEntry() {
  const queryClient = useQueryClient()
  const { form, onSubmit, error, busy } = useApiForm({
    initialValues: { type: 'ip' as BlocklistType, value: '', offer_id: '' },
    validate: { value: (value) => (value.trim() ? null : 'is required') },
    save: (values) =>
      addBlocklistEntry({
        type: values.type,
        value: values.value.trim(),
        offer_id: values.offer_id.trim() || null,
      }),
    saved: async () => {
      form.setFieldValue('value', '')
      await queryClient.invalidateQueries({ queryKey: ['blocklist'] })
    },
    message: 'Added to the blocklist',
  })
  return (
    <Paper
      withBorder
      p="md"
      mb="md"
      component="form"
      onSubmit={onSubmit}
      aria-label="Add to the blocklist"
    >
      <ErrorAlert error={error && new Error(error)} title="Could not add the entry" />
      <Group align="flex-start" grow>
        <Select
          label="Block by"
          data={BLOCKLIST_TYPES.map((t) => ({ value: t.value, label: t.label }))}
          allowDeselect={false}
          {...form.getInputProps('type')}
        />
        <TextInput label="Value" withAsterisk {...form.getInputProps('value')} />
        <TextInput
          label="Offer id"
          description="Empty: every offer"
          {...form.getInputProps('offer_id')}
        />
      </Group>
      <Group justify="flex-end" mt="sm">
        <Button type="submit" loading={busy}>
          Add
        </Button>
      </Group>
    </Paper>
  )
}
