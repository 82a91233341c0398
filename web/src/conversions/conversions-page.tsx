import { Button, Group, Select, Table, Text } from '@mantine/core'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { getRouteApi, Link } from '@tanstack/react-router'
import { roleOf, useSession } from '../access/session.ts'
import { dataOrThrow } from '../api/api-error.ts'
import { api } from '../api/client.ts'
import { useLiveEvents } from '../live/use-live-events.ts'
import { formatMoney } from '../reports/figures.ts'
import { AnchorLink } from '../shared/anchor-link.tsx'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { NextPage } from '../shared/next-page.tsx'
import { PageTitle } from '../shell/app-shell.tsx'
import { ConversionFlags } from './conversion-flags.tsx'
import { CONVERSION_STATUSES } from './conversion-statuses.ts'
import { StatusBadge } from './status-badge.tsx'

const route = getRouteApi('/app/conversions')

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
  const role = roleOf(useSession())
  // An advertiser's conversions carry no affiliate and no payout, an affiliate's no revenue:
  // their columns are left out rather than filled with dashes.
  const advertiser = role === 'advertiser'
  const showsRevenue = role !== 'affiliate'

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
          next={
            advertiser
              ? 'Conversions appear here when your server calls your postback URL with a click id. The Integration page has the URL, examples and a test.'
              : showsRevenue
                ? "Conversions appear here, without reloading, when an advertiser calls its postback URL with a click id. Give affiliates an offer's tracking link and the advertiser its postback URL."
                : 'Conversions appear here, without reloading, once traffic through your links converts. Build a link on the Links page.'
          }
          action={
            advertiser ? (
              <Button component={Link} to="/integration" variant="light">
                Open integration
              </Button>
            ) : showsRevenue ? (
              <Button component={Link} to="/advertisers" variant="light">
                Find an advertiser's postback URL
              </Button>
            ) : (
              <Button component={Link} to="/links" variant="light">
                Build a tracking link
              </Button>
            )
          }
        />
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Conversion</Table.Th>
              <Table.Th>Time</Table.Th>
              <Table.Th>Offer</Table.Th>
              {!advertiser && <Table.Th>Affiliate</Table.Th>}
              <Table.Th>Goal</Table.Th>
              <Table.Th>Transaction</Table.Th>
              <Table.Th>Status</Table.Th>
              {!advertiser && <Table.Th>Payout</Table.Th>}
              {showsRevenue && <Table.Th>Revenue</Table.Th>}
              {showsRevenue && <Table.Th>Reported revenue</Table.Th>}
              <Table.Th>adv1</Table.Th>
              <Table.Th>Flags</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((conversion) => (
              <Table.Tr key={conversion.id}>
                <Table.Td>
                  <AnchorLink to="/conversions/$id" params={{ id: conversion.id }} size="sm">
                    {conversion.id}
                  </AnchorLink>
                </Table.Td>
                <Table.Td>{new Date(conversion.created_at).toLocaleString()}</Table.Td>
                <Table.Td>{conversion.offer_id}</Table.Td>
                {!advertiser && <Table.Td>{conversion.affiliate_id}</Table.Td>}
                <Table.Td>{conversion.goal}</Table.Td>
                <Table.Td>{conversion.txid ?? '—'}</Table.Td>
                <Table.Td>
                  <StatusBadge status={conversion.status} />
                </Table.Td>
                {!advertiser && (
                  <Table.Td>{formatMoney(conversion.payout, conversion.currency)}</Table.Td>
                )}
                {showsRevenue && (
                  <Table.Td>{formatMoney(conversion.revenue, conversion.currency)}</Table.Td>
                )}
                {showsRevenue && (
                  <Table.Td>
                    {formatMoney(conversion.reported_revenue, conversion.currency)}
                  </Table.Td>
                )}
                <Table.Td>{conversion.adv1 ?? '—'}</Table.Td>
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
