import { Badge, Button, Group, Select, Table, Text, TextInput } from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { getRouteApi } from '@tanstack/react-router'
import { useState } from 'react'
import { may } from '../access/may.ts'
import { useSession } from '../access/session.ts'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { NextPage } from '../shared/next-page.tsx'
import { PageTitle } from '../shell/app-shell.tsx'
import { ACCESS_STATES, accessRequestsQuery, decideRequest } from './offer-access-queries.ts'

const route = getRouteApi('/app/access-requests')

const STATE_COLOR = { pending: 'gray.7', approved: 'teal.9', declined: 'red.9' } as const

type Request = NonNullable<
  ReturnType<typeof accessRequestsQuery>['queryFn'] extends () => Promise<infer P> ? P : never
>['data'][number]

/** Affiliates' requests to run approval offers; a manager approves or declines each with a note. */
export function AccessRequestsPage() {
  const search = route.useSearch()
  const navigate = route.useNavigate()
  const session = useSession()
  const canDecide = may(session, 'PATCH /api/v1/access-requests/:id')
  const list = useQuery(accessRequestsQuery(search))
  const filter = (change: Partial<typeof search>) =>
    navigate({ search: (prev) => ({ ...prev, ...change, cursor: undefined }) })
  const rows = list.data?.data ?? []

  return (
    <>
      <PageTitle>Access requests</PageTitle>
      <Group mb="md" align="flex-end">
        <Select
          label="State"
          placeholder="Any state"
          clearable
          data={[...ACCESS_STATES]}
          value={search.state ?? null}
          onChange={(state) => filter({ state: (state ?? undefined) as typeof search.state })}
        />
      </Group>
      <ErrorAlert error={list.error} title="Could not load the requests" />
      {list.isSuccess && rows.length === 0 ? (
        <EmptyState
          title={search.state ? `No ${search.state} requests` : 'No access requests yet'}
          next={
            search.state
              ? 'Clear the filter to see every request.'
              : 'Set an offer\'s visibility to "approval": affiliates then ask for it here.'
          }
        />
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Offer</Table.Th>
              <Table.Th>Affiliate</Table.Th>
              <Table.Th>Their note</Table.Th>
              <Table.Th>Asked</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Decision</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((request) => (
              <Table.Tr key={request.id}>
                <Table.Td>{request.offer_name}</Table.Td>
                <Table.Td>{request.affiliate_name}</Table.Td>
                <Table.Td>{request.note ?? '—'}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {new Date(request.created_at).toLocaleString()}
                </Table.Td>
                <Table.Td>
                  <Badge color={STATE_COLOR[request.state]}>{request.state}</Badge>
                </Table.Td>
                <Table.Td>
                  {request.state === 'pending' && canDecide ? (
                    <Decide request={request} />
                  ) : (
                    <Text size="sm">
                      {request.decision_note ?? ''}
                      {request.decided_by ? ` (${request.decided_by})` : ''}
                    </Text>
                  )}
                </Table.Td>
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

function Decide({ request }: { request: Request }) {
  const queryClient = useQueryClient()
  const [note, setNote] = useState('')
  const decide = useMutation({
    mutationFn: (state: 'approved' | 'declined') => decideRequest(request.id, state, note.trim()),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['access-requests'] }),
  })
  const who = `${request.affiliate_name} on ${request.offer_name}`
  return (
    <>
      <Group gap="xs" wrap="nowrap">
        <TextInput
          size="xs"
          aria-label={`Note to ${who}`}
          placeholder="Note to the affiliate"
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
        />
        <Button
          size="compact-sm"
          color="teal.9"
          aria-label={`Approve ${who}`}
          loading={decide.isPending && decide.variables === 'approved'}
          onClick={() => decide.mutate('approved')}
        >
          Approve
        </Button>
        <Button
          size="compact-sm"
          color="red.9"
          variant="outline"
          aria-label={`Decline ${who}`}
          loading={decide.isPending && decide.variables === 'declined'}
          onClick={() => decide.mutate('declined')}
        >
          Decline
        </Button>
      </Group>
      <ErrorAlert error={decide.error} title="Not decided" />
    </>
  )
}
