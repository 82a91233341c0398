import { Button, Table } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { getRouteApi, Link } from '@tanstack/react-router'
import { may } from '../access/may.ts'
import { useSession } from '../access/session.ts'
import { AnchorLink } from '../shared/anchor-link.tsx'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { ListToolbar, matchingName } from '../shared/list-toolbar.tsx'
import { NextPage } from '../shared/next-page.tsx'
import { PageTitle } from '../shell/app-shell.tsx'
import { advertisersQuery } from './catalog-queries.ts'

const route = getRouteApi('/app/advertisers')

export function AdvertisersPage() {
  const search = route.useSearch()
  const session = useSession()
  const canCreate = may(session, 'POST /api/v1/advertisers')
  const canEdit = may(session, 'PATCH /api/v1/advertisers/:id')
  const navigate = route.useNavigate()
  const list = useQuery(advertisersQuery(search.cursor))
  const rows = matchingName(list.data?.data ?? [], search.q)

  return (
    <>
      <PageTitle>Advertisers</PageTitle>
      <ListToolbar
        q={search.q}
        onSearch={(q) => navigate({ search: (prev) => ({ ...prev, q }), replace: true })}
        searchLabel="Search advertisers"
        newTo="/advertisers/new"
        canCreate={canCreate}
        newLabel="New advertiser"
      />
      <ErrorAlert error={list.error} title="Could not load advertisers" />
      {list.isSuccess && rows.length === 0 ? (
        <EmptyState
          title={search.q ? 'No advertiser matches this search' : 'No advertisers yet'}
          next={
            search.q
              ? 'Clear the search, or look on the next page.'
              : 'Create the advertiser who pays for conversions; it gets the postback URL to give them.'
          }
          action={
            canCreate && (
              <Button component={Link} to="/advertisers/new">
                Create an advertiser
              </Button>
            )
          }
        />
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Postback IP allowlist</Table.Th>
              <Table.Th>Created</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((advertiser) => (
              <Table.Tr key={advertiser.id}>
                <Table.Td>
                  {canEdit ? (
                    <AnchorLink to="/advertisers/$id" params={{ id: advertiser.id }}>
                      {advertiser.name}
                    </AnchorLink>
                  ) : (
                    advertiser.name
                  )}
                </Table.Td>
                <Table.Td>{advertiser.postback_ip_allowlist.join(', ') || 'any address'}</Table.Td>
                <Table.Td>{new Date(advertiser.created_at).toLocaleString()}</Table.Td>
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
