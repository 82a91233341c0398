import { Badge, Code, Group, Select, Table, Text, TextInput } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { getRouteApi } from '@tanstack/react-router'
import type { AuditEntry } from '../api/api-types.ts'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { NextPage } from '../shared/next-page.tsx'
import { PageTitle } from '../shell/app-shell.tsx'
import { auditLogQuery } from './access-queries.ts'
import { AUDIT_ENTITIES } from './audit-entities.ts'

const route = getRouteApi('/app/audit-log')

/** Every change made through the API, newest first; the filters live in the URL, to share. */
export function AuditLogPage() {
  const search = route.useSearch()
  const navigate = route.useNavigate()
  const log = useQuery(auditLogQuery(search))
  const filtered = Boolean(search.entity || search.entity_id || search.actor_id)
  const filter = (change: Partial<typeof search>) =>
    navigate({ search: (prev) => ({ ...prev, ...change, cursor: undefined }), replace: true })

  return (
    <>
      <PageTitle>Audit log</PageTitle>
      <Group mb="md" align="flex-end">
        <Select
          label="Entity"
          placeholder="Any entity"
          clearable
          data={[...AUDIT_ENTITIES]}
          value={search.entity ?? null}
          onChange={(entity) => filter({ entity: entity ?? undefined })}
        />
        <TextInput
          label="Entity id"
          defaultValue={search.entity_id ?? ''}
          onChange={(event) => filter({ entity_id: event.currentTarget.value || undefined })}
        />
        <TextInput
          label="Actor id"
          description="A user's id, or a key's"
          defaultValue={search.actor_id ?? ''}
          onChange={(event) => filter({ actor_id: event.currentTarget.value || undefined })}
        />
      </Group>
      <ErrorAlert error={log.error} title="Could not load the audit log" />
      {log.isSuccess && log.data.data.length === 0 ? (
        <EmptyState
          title={filtered ? 'No change matches these filters' : 'No changes yet'}
          next={
            filtered
              ? 'Clear a filter, or check the id.'
              : 'Every change made through the API or this console is recorded here.'
          }
        />
      ) : (
        <Table striped aria-label="Changes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Who</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>Entity</Table.Th>
              <Table.Th>Fields, before and after</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(log.data?.data ?? []).map((entry) => (
              <Table.Tr key={entry.id}>
                <Table.Td>{new Date(entry.at).toLocaleString()}</Table.Td>
                <Table.Td>
                  <Text size="sm">{entry.actor.name}</Text>
                  <Text size="xs" c="dimmed">
                    {entry.actor.type}
                    {entry.actor.id ? ` ${entry.actor.id}` : ''}
                    {entry.ip ? ` from ${entry.ip}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color="dark">
                    {entry.action}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {entry.entity} {entry.entity_id}
                </Table.Td>
                <Table.Td>
                  <Changes changes={entry.changes} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <NextPage
        cursor={search.cursor}
        nextCursor={log.data?.next_cursor}
        onPage={(cursor) => navigate({ search: (prev) => ({ ...prev, cursor }) })}
      />
    </>
  )
}

function Changes({ changes }: { changes: AuditEntry['changes'] }) {
  const fields = Object.entries(changes)
  if (fields.length === 0) return <Text size="sm">no field changes</Text>
  return (
    <Table withRowBorders={false} verticalSpacing={2} fz="xs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Field</Table.Th>
          <Table.Th>Before</Table.Th>
          <Table.Th>After</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {fields.map(([field, { from, to }]) => (
          <Table.Tr key={field}>
            <Table.Td>{field}</Table.Td>
            <Table.Td>
              <Value value={from} />
            </Table.Td>
            <Table.Td>
              <Value value={to} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

function Value({ value }: { value: unknown }) {
  if (value === undefined)
    return (
      <Text span c="dimmed" size="xs">
        none
      </Text>
    )
  return <Code style={{ wordBreak: 'break-all' }}>{JSON.stringify(value)}</Code>
}
