import { Button, Code, Group, Select, Table } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { getRouteApi, Link } from '@tanstack/react-router'
import { may } from '../access/may.ts'
import { advertiserOf, affiliateOf, useSession } from '../access/session.ts'
import { AnchorLink } from '../shared/anchor-link.tsx'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { NextPage } from '../shared/next-page.tsx'
import { PageTitle } from '../shell/app-shell.tsx'
import { affiliatesQuery } from './catalog-queries.ts'
import { HealthBadge } from './postback-health.tsx'
import { postbacksQuery } from './postback-queries.ts'

const route = getRouteApi('/app/postbacks')

/** The endpoints Backtrack calls for affiliates, with how each is doing. */
export function PostbacksPage() {
  const search = route.useSearch()
  const navigate = route.useNavigate()
  // A filter changed: the list starts again from its first page.
  const filter = (change: Partial<typeof search>) =>
    navigate({ search: (prev) => ({ ...prev, ...change, cursor: undefined }) })
  const session = useSession()
  const canCreate = may(session, 'POST /api/v1/postbacks')
  const canEdit = may(session, 'PATCH /api/v1/postbacks/:id')
  // An affiliate's people see their own endpoints only: no affiliate to choose.
  const ownAffiliate = affiliateOf(session)
  const ownAdvertiser = advertiserOf(session)
  const scoped = Boolean(ownAffiliate || ownAdvertiser)
  const list = useQuery(
    postbacksQuery({ cursor: search.cursor, affiliate_id: ownAffiliate ?? search.affiliate_id }),
  )
  const affiliates = useQuery({ ...affiliatesQuery({}), enabled: !ownAdvertiser })
  const ownerName = (endpoint: { affiliate_id: string | null; advertiser_id: string | null }) => {
    if (endpoint.affiliate_id !== null) {
      const id = endpoint.affiliate_id
      return affiliates.data?.data.find((a) => a.id === id)?.name ?? `affiliate ${id}`
    }
    if (endpoint.advertiser_id !== null) {
      return ownAdvertiser ? 'You' : `advertiser ${endpoint.advertiser_id}`
    }
    return 'The network (every conversion)'
  }

  return (
    <>
      <PageTitle>Postbacks</PageTitle>
      <Group justify="space-between" mb="md" align="flex-end">
        {scoped ? (
          <span />
        ) : (
          <Select
            label="Affiliate"
            placeholder="Any affiliate"
            clearable
            searchable
            data={(affiliates.data?.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
            value={search.affiliate_id ?? null}
            onChange={(id) => filter({ affiliate_id: id ?? undefined })}
          />
        )}
        {canCreate && (
          <Button component={Link} to="/postbacks/new">
            New postback
          </Button>
        )}
      </Group>
      <ErrorAlert error={list.error} title="Could not load postbacks" />
      {list.isSuccess && list.data.data.length === 0 ? (
        <EmptyState
          title="No postbacks yet"
          next={
            ownAdvertiser
              ? 'Add the URL of your server Backtrack should call when a conversion of your offers is recorded or changes status: it can use macros such as {click_id}, {revenue} and {adv1}.'
              : 'Add the URL Backtrack should call when a conversion comes in: it can use macros such as {click_id} and {payout}.'
          }
          action={
            canCreate && (
              <Button component={Link} to="/postbacks/new">
                Add a postback
              </Button>
            )
          }
        />
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>URL</Table.Th>
              <Table.Th>Belongs to</Table.Th>
              <Table.Th>Offer</Table.Th>
              <Table.Th>Statuses</Table.Th>
              <Table.Th>Health</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(list.data?.data ?? []).map((endpoint) => (
              <Table.Tr key={endpoint.id}>
                <Table.Td style={{ wordBreak: 'break-all' }}>
                  <Code>{endpoint.method}</Code>{' '}
                  {canEdit ? (
                    <AnchorLink to="/postbacks/$id" params={{ id: endpoint.id }}>
                      {endpoint.url}
                    </AnchorLink>
                  ) : (
                    endpoint.url
                  )}
                </Table.Td>
                <Table.Td>{ownerName(endpoint)}</Table.Td>
                <Table.Td>
                  {endpoint.offer_id ? `offer ${endpoint.offer_id}` : 'every offer'}
                </Table.Td>
                <Table.Td>{endpoint.statuses.join(', ')}</Table.Td>
                <Table.Td>
                  <HealthBadge endpoint={endpoint} />
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
