import { Badge, Button, Select, Table } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { getRouteApi, Link } from '@tanstack/react-router'
import { may } from '../access/may.ts'
import { useSession } from '../access/session.ts'
import { AnchorLink } from '../shared/anchor-link.tsx'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { ListToolbar, matchingName } from '../shared/list-toolbar.tsx'
import { NextPage } from '../shared/next-page.tsx'
import { STATUSES } from '../shared/search-params.ts'
import { PageTitle } from '../shell/app-shell.tsx'
import { affiliatesQuery } from './catalog-queries.ts'

const route = getRouteApi('/app/affiliates')

export function AffiliatesPage() {
  const search = route.useSearch()
  const session = useSession()
  const canCreate = may(session, 'POST /api/v1/affiliates')
  const canEdit = may(session, 'PATCH /api/v1/affiliates/:id')
  const navigate = route.useNavigate()
  // A filter changed: the list starts again from its first page.
  const filter = (change: Partial<typeof search>) =>
    navigate({ search: (prev) => ({ ...prev, ...change, cursor: undefined }) })
  const list = useQuery(affiliatesQuery({ cursor: search.cursor, status: search.status }))
  const rows = matchingName(list.data?.data ?? [], search.q)
  const filtered = Boolean(search.q || search.status)

  return (
    <>
      <PageTitle>Affiliates</PageTitle>
      <ListToolbar
        q={search.q}
        onSearch={(q) => navigate({ search: (prev) => ({ ...prev, q }), replace: true })}
        searchLabel="Search affiliates"
        newTo="/affiliates/new"
        canCreate={canCreate}
        newLabel="New affiliate"
      >
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          data={[...STATUSES]}
          value={search.status ?? null}
          onChange={(status) => filter({ status: (status ?? undefined) as typeof search.status })}
        />
      </ListToolbar>
      <ErrorAlert error={list.error} title="Could not load affiliates" />
      {list.isSuccess && rows.length === 0 ? (
        <EmptyState
          title={filtered ? 'No affiliate matches these filters' : 'No affiliates yet'}
          next={
            filtered
              ? 'Clear the search or the filters.'
              : 'Create an affiliate: it gets an id for tracking links and an API key for its own reports.'
          }
          action={
            canCreate && (
              <Button component={Link} to="/affiliates/new">
                Create an affiliate
              </Button>
            )
          }
        />
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Id</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((affiliate) => (
              <Table.Tr key={affiliate.id}>
                <Table.Td>
                  {canEdit ? (
                    <AnchorLink to="/affiliates/$id" params={{ id: affiliate.id }}>
                      {affiliate.name}
                    </AnchorLink>
                  ) : (
                    affiliate.name
                  )}
                </Table.Td>
                <Table.Td>{affiliate.id}</Table.Td>
                <Table.Td>
                  <Badge color={affiliate.status === 'active' ? 'teal.9' : 'gray.7'}>
                    {affiliate.status}
                  </Badge>
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
