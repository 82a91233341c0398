import { Badge, Button, Code, Select, Table } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { getRouteApi, Link } from '@tanstack/react-router'
import { may } from '../access/may.ts'
import { advertiserOf, roleOf, useSession } from '../access/session.ts'
import { AnchorLink } from '../shared/anchor-link.tsx'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { ListToolbar, matchingName } from '../shared/list-toolbar.tsx'
import { NextPage } from '../shared/next-page.tsx'
import { STATUSES } from '../shared/search-params.ts'
import { PageTitle } from '../shell/app-shell.tsx'
import { AffiliateOffersTable } from './affiliate-offers.tsx'
import { advertisersQuery, offersQuery } from './catalog-queries.ts'

const route = getRouteApi('/app/offers')

export function OffersPage() {
  const search = route.useSearch()
  const session = useSession()
  const canCreate = may(session, 'POST /api/v1/offers')
  const canEdit = may(session, 'PATCH /api/v1/offers/:id')
  // An affiliate's portal: its own payouts and access, not the network's columns.
  const forAffiliate = roleOf(session) === 'affiliate'
  const navigate = route.useNavigate()
  // A filter changed: the list starts again from its first page.
  const filter = (change: Partial<typeof search>) =>
    navigate({ search: (prev) => ({ ...prev, ...change, cursor: undefined }) })
  const list = useQuery(
    offersQuery({
      cursor: search.cursor,
      status: search.status,
      advertiser_id: search.advertiser_id,
    }),
  )
  // The first page of advertisers names the filter's choices; any id still works in the URL.
  const advertisers = useQuery({
    ...advertisersQuery(),
    enabled: may(session, 'GET /api/v1/advertisers'),
  })
  const rows = matchingName(list.data?.data ?? [], search.q)
  const filtered = Boolean(search.q || search.status || search.advertiser_id)

  return (
    <>
      <PageTitle>Offers</PageTitle>
      <ListToolbar
        q={search.q}
        onSearch={(q) => navigate({ search: (prev) => ({ ...prev, q }), replace: true })}
        searchLabel="Search offers"
        newTo="/offers/new"
        canCreate={canCreate}
        newLabel="New offer"
      >
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          data={[...STATUSES]}
          value={search.status ?? null}
          onChange={(status) => filter({ status: (status ?? undefined) as typeof search.status })}
        />
        {!forAffiliate && !advertiserOf(session) && (
          <Select
            label="Advertiser"
            placeholder="Any advertiser"
            clearable
            searchable
            data={(advertisers.data?.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
            value={search.advertiser_id ?? null}
            onChange={(id) => filter({ advertiser_id: id ?? undefined })}
          />
        )}
      </ListToolbar>
      <ErrorAlert error={list.error} title="Could not load offers" />
      {list.isSuccess && rows.length === 0 ? (
        <EmptyState
          title={filtered ? 'No offer matches these filters' : 'No offers yet'}
          next={
            filtered
              ? 'Clear the search or the filters.'
              : forAffiliate
                ? 'The network has no offer open to you yet. Ask your manager which offers fit your traffic.'
                : 'Create an offer for an advertiser, then give affiliates its tracking link.'
          }
          action={
            canCreate && (
              <Button component={Link} to="/offers/new">
                Create an offer
              </Button>
            )
          }
        />
      ) : forAffiliate || rows.some((offer) => offer.access !== undefined) ? (
        <AffiliateOffersTable offers={rows} />
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>{advertiserOf(session) ? 'Revenue' : 'Payout'}</Table.Th>
              <Table.Th>Tracking link</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((offer) => (
              <Table.Tr key={offer.id}>
                <Table.Td>
                  {canEdit ? (
                    <AnchorLink to="/offers/$id" params={{ id: offer.id }}>
                      {offer.name}
                    </AnchorLink>
                  ) : (
                    offer.name
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge color={offer.status === 'active' ? 'teal.9' : 'gray.7'}>
                    {offer.status}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {offer.payout === undefined
                    ? rateText(offer.revenue, offer.revenue_type, offer.currency)
                    : rateText(offer.payout, offer.payout_type, offer.currency)}
                </Table.Td>
                <Table.Td>
                  <Code style={{ wordBreak: 'break-all' }}>{offer.tracking_url}</Code>
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

// An advertiser sees what it pays (the revenue), never what affiliates are paid.
function rateText(value: number | undefined, type: string | undefined, currency: string): string {
  if (type === 'reported') return 'reported by the advertiser'
  return type === 'percent' ? `${value} %` : `${value} ${currency}`
}
