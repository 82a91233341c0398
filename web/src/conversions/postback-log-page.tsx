import { Badge, Button, Code, Group, List, Select, Table, Text, TextInput } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { getRouteApi, Link } from '@tanstack/react-router'
import { roleOf, useSession } from '../access/session.ts'
import { dataOrThrow } from '../api/api-error.ts'
import { api } from '../api/client.ts'
import { AnchorLink } from '../shared/anchor-link.tsx'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { NextPage } from '../shared/next-page.tsx'
import { PageTitle } from '../shell/app-shell.tsx'
import { REASON_WORDS, reasonInWords } from './postback-reasons.ts'
import { POSTBACK_RESULTS } from './postback-results.ts'

const route = getRouteApi('/app/postback-log')
// Dark shades: white text on them passes WCAG AA.
const RESULT_COLOURS = {
  accepted: 'teal.9',
  duplicate: 'gray.7',
  updated: 'blue.9',
  rejected: 'grape.9',
  error: 'red.9',
} as const

/** Every call to /postback, refused ones included: where a missing conversion is explained. */
export function PostbackLogPage() {
  const search = route.useSearch()
  const navigate = route.useNavigate()
  // A filter changed: the list starts again from its first page.
  const filter = (change: Partial<typeof search>) =>
    navigate({ search: (prev) => ({ ...prev, ...change, cursor: undefined }) })
  const list = useQuery({
    queryKey: ['postback-log', search],
    queryFn: async () =>
      dataOrThrow(await api.GET('/api/v1/postback-log', { params: { query: search } })),
    refetchInterval: 10_000,
  })
  const rows = list.data?.data ?? []
  const advertiser = roleOf(useSession()) === 'advertiser'

  return (
    <>
      <PageTitle>Postback log</PageTitle>
      <Group mb="md">
        <Select
          label="Result"
          placeholder="Any result"
          clearable
          data={[...POSTBACK_RESULTS]}
          value={search.result ?? null}
          onChange={(result) => filter({ result: (result ?? undefined) as typeof search.result })}
        />
        <Select
          label="Reason"
          placeholder="Any reason"
          clearable
          searchable
          data={Object.keys(REASON_WORDS)}
          value={search.reason ?? null}
          onChange={(reason) => filter({ reason: reason ?? undefined })}
        />
        <TextInput
          label="Click id"
          placeholder="Any click"
          defaultValue={search.click_id ?? ''}
          onBlur={(event) => filter({ click_id: event.currentTarget.value.trim() || undefined })}
          onKeyDown={(event) => {
            if (event.key === 'Enter')
              filter({ click_id: event.currentTarget.value.trim() || undefined })
          }}
        />
      </Group>
      <ErrorAlert error={list.error} title="Could not load the postback log" />
      {list.isSuccess && rows.length === 0 ? (
        <EmptyState
          title={
            search.result || search.reason || search.click_id
              ? 'No postbacks match these filters'
              : 'No postbacks received yet'
          }
          next={
            advertiser
              ? 'Every call your server makes to /postback is listed here, refused ones with the reason. The Integration page has your postback URL, examples and a test.'
              : 'Every call an advertiser makes to /postback is listed here, refused ones with their reason. Give the advertiser the postback URL shown on its page.'
          }
          action={
            advertiser ? (
              <Button component={Link} to="/integration" variant="light">
                Open integration
              </Button>
            ) : (
              <Button component={Link} to="/advertisers" variant="light">
                Open advertisers
              </Button>
            )
          }
        />
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time</Table.Th>
              <Table.Th>Result</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th>Click id</Table.Th>
              <Table.Th>Conversion</Table.Th>
              <Table.Th>From</Table.Th>
              <Table.Th>Parameters</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((line) => (
              <Table.Tr key={line.id}>
                <Table.Td>{new Date(line.at).toLocaleString()}</Table.Td>
                <Table.Td>
                  <Badge color={RESULT_COLOURS[line.result]}>{line.result}</Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{reasonInWords(line.reason, line.message)}</Text>
                  {line.warnings.length > 0 && (
                    <List size="xs" aria-label="Warnings">
                      {line.warnings.map((warning) => (
                        <List.Item key={warning.code}>Warning: {warning.message}</List.Item>
                      ))}
                    </List>
                  )}
                </Table.Td>
                <Table.Td>{line.click_id ?? '—'}</Table.Td>
                <Table.Td>
                  {line.conversion_id ? (
                    <AnchorLink to="/conversions/$id" params={{ id: line.conversion_id }} size="sm">
                      {line.conversion_id}
                    </AnchorLink>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>
                  {line.method} {line.ip}
                </Table.Td>
                <Table.Td>
                  <Code style={{ wordBreak: 'break-all' }}>
                    {new URLSearchParams(stringValues(line.params)).toString()}
                  </Code>
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

function stringValues(params: unknown): Record<string, string> {
  if (typeof params !== 'object' || params === null) return {}
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, String(value)]))
}
