import { Button, Group, Paper, Select, SimpleGrid, Table, TextInput } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { getRouteApi, useNavigate } from '@tanstack/react-router'
import type { FormEvent } from 'react'
import { dataOrThrow } from '../api/api-error.ts'
import type { Click } from '../api/api-types.ts'
import { api } from '../api/client.ts'
import { AnchorLink } from '../shared/anchor-link.tsx'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { NextPage } from '../shared/next-page.tsx'
import { optionalText } from '../shared/search-params.ts'
import { PageTitle } from '../shell/app-shell.tsx'
import { ClickFlags, subIds } from './click-details.tsx'
import { type ClickSearch, clickQuery, clickSearch, TEXT_FILTERS } from './click-search.ts'

const route = getRouteApi('/app/clicks')
const FLAG_CHOICES = [
  { value: 'true', label: 'Yes' },
  { value: 'false', label: 'No' },
]

/** The click log: every stored click, filtered by what the URL holds, newest first. */
export function ClicksPage() {
  const search = route.useSearch()
  const navigate = route.useNavigate()
  const list = useQuery({
    queryKey: ['clicks', search],
    queryFn: async () =>
      dataOrThrow(await api.GET('/api/v1/clicks', { params: { query: clickQuery(search) } })),
  })
  const rows = list.data?.data ?? []
  const filtered = Object.entries(search).some(([key, value]) => key !== 'cursor' && value)

  // The whole form is the new query; a new query starts from the first page.
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const values = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v).trim()]))
    void navigate({ search: clickSearch(values) })
  }

  return (
    <>
      <PageTitle>Clicks</PageTitle>
      <ClickLookUp />
      <Paper withBorder p="md" mb="md">
        <form aria-label="Filter clicks" onSubmit={apply} key={JSON.stringify(search)}>
          <SimpleGrid cols={{ base: 2, md: 4, lg: 6 }}>
            {TEXT_FILTERS.map(([key, label]) => (
              <TextInput key={key} label={label} name={key} defaultValue={search[key] ?? ''} />
            ))}
            <Select
              label="Bot"
              name="is_bot"
              placeholder="Any"
              clearable
              data={FLAG_CHOICES}
              defaultValue={search.is_bot ?? null}
            />
            <Select
              label="Unique"
              name="is_unique"
              placeholder="Any"
              clearable
              data={FLAG_CHOICES}
              defaultValue={search.is_unique ?? null}
            />
            <TextInput label="From" name="from" type="date" defaultValue={search.from ?? ''} />
            <TextInput label="To" name="to" type="date" defaultValue={search.to ?? ''} />
          </SimpleGrid>
          <Group mt="md">
            <Button type="submit">Search</Button>
            {filtered && (
              <Button variant="default" onClick={() => navigate({ search: {} })}>
                Clear filters
              </Button>
            )}
          </Group>
        </form>
      </Paper>
      <ErrorAlert error={list.error} title="Could not load clicks" />
      {list.isSuccess && rows.length === 0 ? (
        <EmptyState
          title={filtered ? 'No clicks match these filters' : 'No clicks yet'}
          next={
            filtered
              ? 'Widen the dates or clear a filter. Filters match exact values (sub ids, country such as US, device such as mobile).'
              : "A click is recorded each time someone opens an offer's tracking link. Give an affiliate the link from the offer's page, or open it yourself to see one here."
          }
          action={
            <Button component={AnchorLink} to="/offers" variant="light">
              Find an offer's tracking link
            </Button>
          }
        />
      ) : (
        <ClickTable rows={rows} />
      )}
      <NextPage
        cursor={search.cursor}
        nextCursor={list.data?.next_cursor}
        onPage={(cursor) => navigate({ search: (prev: ClickSearch) => ({ ...prev, cursor }) })}
      />
    </>
  )
}

function ClickTable({ rows }: { rows: Click[] }) {
  return (
    <Table striped highlightOnHover>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Time</Table.Th>
          <Table.Th>Click id</Table.Th>
          <Table.Th>Offer</Table.Th>
          <Table.Th>Affiliate</Table.Th>
          <Table.Th>Sub ids</Table.Th>
          <Table.Th>Source</Table.Th>
          <Table.Th>Country</Table.Th>
          <Table.Th>Device</Table.Th>
          <Table.Th>Flags</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((click) => (
          <Table.Tr key={click.click_id}>
            <Table.Td>{new Date(click.created_at).toLocaleString()}</Table.Td>
            <Table.Td>
              <AnchorLink
                to="/clicks/$clickId"
                params={{ clickId: click.click_id }}
                ff="monospace"
                size="sm"
              >
                {click.click_id}
              </AnchorLink>
            </Table.Td>
            <Table.Td>{click.offer_id}</Table.Td>
            <Table.Td>{click.affiliate_id}</Table.Td>
            <Table.Td>{subIds(click) || '—'}</Table.Td>
            <Table.Td>{click.source ?? '—'}</Table.Td>
            <Table.Td>{click.country ?? '—'}</Table.Td>
            <Table.Td>{click.device ?? '—'}</Table.Td>
            <Table.Td>
              <ClickFlags click={click} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

/** Straight to one click by its id, from a conversion, a log line or an affiliate's question. */
function ClickLookUp() {
  const navigate = useNavigate()
  const lookUp = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const id = optionalText(String(new FormData(event.currentTarget).get('click_id') ?? '').trim())
    if (id) void navigate({ to: '/clicks/$clickId', params: { clickId: id } })
  }
  return (
    <form aria-label="Look up a click" onSubmit={lookUp}>
      <Group align="flex-end" mb="md">
        <TextInput label="Click id" name="click_id" w={360} />
        <Button type="submit" variant="default">
          Open click
        </Button>
      </Group>
    </form>
  )
}
