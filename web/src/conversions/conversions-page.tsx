import { Badge, Button, Group, Select, Table, Text } from '@mantine/core'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { getRouteApi, Link } from '@tanstack/react-router'
import { dataOrThrow } from '../api/api-error.ts'
import { api } from '../api/client.ts'
import { useLiveEvents } from '../live/use-live-events.ts'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { NextPage } from '../shared/next-page.tsx'
import { PageTitle } from '../shell/app-shell.tsx'
import { ConversionFlags } from './conversion-flags.tsx'
import { CONVERSION_STATUSES } from './conversion-statuses.ts'

const route = getRouteApi('/app/conversions')
// Dark shades: white text on them passes WCAG AA.
const STATUS_COLOURS = { pending: 'blue.9', approved: 'teal.9', rejected: 'red.9' } as const

export function ConversionsPage() {
  const search = route.useSearch()
  const navigate = route.useNavigate()
  // A filter changed: the list starts again from its first page.
  const filter = (change: Partial<typeof search>) =>
    navigate({ search: (prev) => ({ ...prev, ...change, cursor: undefined }) })
  const queryClient = useQueryClient()
  const list = useQuery({
    queryKey: ['conversions', search],
    queryFn: async () =>
      dataOrThrow(await api.GET('/api/v1/conversions', { params: { query: search } })),
    // The live feed refreshes at once; polling covers a feed that is down or reconnecting.
    refetchInterval: 5000,
  })
  useLiveEvents((event) => {
    if (event.event === 'conversion')
      void queryClient.invalidateQueries({ queryKey: ['conversions'] })
  })
  const rows = list.data?.data ?? []

  return (
    <>
      <PageTitle>Conversions</PageTitle>
      <Group mb="md" align="flex-end">
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          data={[...CONVERSION_STATUSES]}
          value={search.status ?? null}
          onChange={(status) => filter({ status: (status ?? undefined) as typeof search.status })}
        />
        <Text size="sm" c="dimmed" aria-live="polite">
          {list.dataUpdatedAt ? `Updated ${new Date(list.dataUpdatedAt).toLocaleTimeString()}` : ''}
        </Text>
      </Group>
      <ErrorAlert error={list.error} title="Could not load conversions" />
      {list.isSuccess && rows.length === 0 ? (
        <EmptyState
          title={search.status ? `No ${search.status} conversions` : 'No conversions yet'}
          next="Conversions appear here, without reloading, when an advertiser calls its postback URL with a click id. Give affiliates an offer's tracking link and the advertiser its postback URL."
          action={
            <Button component={Link} to="/advertisers" variant="light">
              Find an advertiser's postback URL
            </Button>
          }
        />
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time</Table.Th>
              <Table.Th>Offer</Table.Th>
              <Table.Th>Affiliate</Table.Th>
              <Table.Th>Goal</Table.Th>
              <Table.Th>Transaction</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Payout</Table.Th>
              <Table.Th>Revenue</Table.Th>
              <Table.Th>Flags</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((conversion) => (
              <Table.Tr key={conversion.id}>
                <Table.Td>{new Date(conversion.created_at).toLocaleString()}</Table.Td>
                <Table.Td>{conversion.offer_id}</Table.Td>
                <Table.Td>{conversion.affiliate_id}</Table.Td>
                <Table.Td>{conversion.goal}</Table.Td>
                <Table.Td>{conversion.txid ?? '—'}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOURS[conversion.status]}>{conversion.status}</Badge>
                </Table.Td>
                <Table.Td>
                  {conversion.payout} {conversion.currency}
                </Table.Td>
                <Table.Td>
                  {conversion.revenue ?? '—'}{' '}
                  {conversion.revenue === undefined ? '' : conversion.currency}
                </Table.Td>
                <Table.Td>
                  <ConversionFlags flags={conversion.flags} />
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
