import { Button, Checkbox, Group, Select, Table } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { getRouteApi } from '@tanstack/react-router'
import { useState } from 'react'
import { may } from '../access/may.ts'
import { useSession } from '../access/session.ts'
import { dataOrThrow } from '../api/api-error.ts'
import { api } from '../api/client.ts'
import { AnchorLink } from '../shared/anchor-link.tsx'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { NextPage } from '../shared/next-page.tsx'
import { PageTitle } from '../shell/app-shell.tsx'
import { BulkReplay } from './bulk-replay.tsx'
import { DELIVERY_STATES } from './delivery-states.ts'
import { StateBadge } from './state-badge.tsx'

const route = getRouteApi('/app/deliveries')

export function DeliveriesPage() {
  const search = route.useSearch()
  const navigate = route.useNavigate()
  // A filter changed: the list starts again from its first page.
  const filter = (change: Partial<typeof search>) =>
    navigate({ search: (prev) => ({ ...prev, ...change, cursor: undefined }) })
  const queryClient = useQueryClient()
  const list = useQuery({
    queryKey: ['deliveries', search],
    queryFn: async () =>
      dataOrThrow(await api.GET('/api/v1/deliveries', { params: { query: search } })),
    refetchInterval: 10_000,
  })
  const retry = useMutation({
    mutationFn: async (id: string) =>
      dataOrThrow(await api.POST('/api/v1/deliveries/{id}/retry', { params: { path: { id } } })),
    onSuccess: () => {
      notifications.show({
        message: 'Queued again',
        color: 'green',
        closeButtonProps: { 'aria-label': 'Dismiss' },
      })
      return queryClient.invalidateQueries({ queryKey: ['deliveries'] })
    },
  })
  const rows = list.data?.data ?? []
  const session = useSession()
  const canRetry = may(session, 'POST /api/v1/deliveries/:id/retry')
  const canReplay = may(session, 'POST /api/v1/deliveries/retry')
  // Picked rows, by id; one being sent right now cannot be queued again, so it has no box.
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set())
  const pickable = rows.filter((delivery) => delivery.state !== 'pending').map((d) => d.id)
  const selected = pickable.filter((id) => picked.has(id))
  const pick = (id: string, on: boolean) =>
    setPicked((before) => {
      const after = new Set(before)
      if (on) after.add(id)
      else after.delete(id)
      return after
    })

  return (
    <>
      <PageTitle>Deliveries</PageTitle>
      <Group mb="md" justify="space-between" align="flex-end">
        <Select
          label="State"
          placeholder="Any state"
          clearable
          data={[...DELIVERY_STATES]}
          value={search.state ?? null}
          onChange={(state) => filter({ state: (state ?? undefined) as typeof search.state })}
        />
        {canReplay && <BulkReplay selected={selected} onReplayed={() => setPicked(new Set())} />}
      </Group>
      <ErrorAlert error={list.error} title="Could not load deliveries" />
      <ErrorAlert error={retry.error} title="Could not retry" />
      {list.isSuccess && rows.length === 0 ? (
        <EmptyState
          title={search.state ? `No ${search.state} deliveries` : 'No deliveries yet'}
          next="A delivery is a postback sent to an endpoint. Add one on the Postbacks page; each matching conversion is then delivered and listed here."
        />
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              {canReplay && (
                <Table.Th>
                  <Checkbox
                    aria-label="Select every delivery shown"
                    checked={pickable.length > 0 && selected.length === pickable.length}
                    indeterminate={selected.length > 0 && selected.length < pickable.length}
                    disabled={pickable.length === 0}
                    onChange={(event) =>
                      setPicked(new Set(event.currentTarget.checked ? pickable : []))
                    }
                  />
                </Table.Th>
              )}
              <Table.Th>Queued</Table.Th>
              <Table.Th>Endpoint</Table.Th>
              <Table.Th>Conversion</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Attempts</Table.Th>
              <Table.Th>Last answer</Table.Th>
              <Table.Th>Action</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((delivery) => {
              const last = delivery.attempts.at(-1)
              return (
                <Table.Tr key={delivery.id}>
                  {canReplay && (
                    <Table.Td>
                      {delivery.state !== 'pending' && (
                        <Checkbox
                          aria-label={`Select delivery ${delivery.id}`}
                          checked={picked.has(delivery.id)}
                          onChange={(event) => pick(delivery.id, event.currentTarget.checked)}
                        />
                      )}
                    </Table.Td>
                  )}
                  <Table.Td>{new Date(delivery.created_at).toLocaleString()}</Table.Td>
                  <Table.Td>{delivery.postback_id}</Table.Td>
                  <Table.Td>
                    <AnchorLink
                      to="/conversions/$id"
                      params={{ id: delivery.conversion_id }}
                      size="sm"
                    >
                      {delivery.conversion_id}
                    </AnchorLink>
                  </Table.Td>
                  <Table.Td>
                    <StateBadge state={delivery.state} />
                  </Table.Td>
                  <Table.Td>{delivery.attempts.length}</Table.Td>
                  <Table.Td>{last ? (last.status_code ?? last.error ?? '—') : '—'}</Table.Td>
                  <Table.Td>
                    {canRetry && delivery.state !== 'pending' && (
                      <Button
                        size="compact-sm"
                        variant="default"
                        aria-label={`Retry delivery ${delivery.id}`}
                        loading={retry.isPending && retry.variables === delivery.id}
                        onClick={() => retry.mutate(delivery.id)}
                      >
                        Retry
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              )
            })}
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
