import { Group, Select, Table, TextInput } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { getRouteApi } from '@tanstack/react-router'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { PageTitle } from '../shell/app-shell.tsx'
import { GROUPINGS } from './groupings.ts'
import { localDate, reportQuery } from './report-queries.ts'

const route = getRouteApi('/app/reports')
const METRICS = [
  'clicks',
  'unique_clicks',
  'conversions',
  'pending_conversions',
  'rejected_conversions',
  'revenue',
  'payout',
  'profit',
  'cr',
  'epc',
  'blocked_clicks',
] as const

/** Counts and money grouped by one dimension over a range of days, all of it in the URL. */
export function ReportsPage() {
  const search = route.useSearch()
  const navigate = route.useNavigate()
  const groupBy = search.group_by ?? 'day'
  const from = search.from ?? localDate(6)
  const to = search.to ?? localDate(0)
  const report = useQuery(reportQuery({ group_by: groupBy, from, to, sort: groupBy }))
  // One row per group and currency, so the two make a key.
  const rows = report.data?.rows ?? []
  const metrics = METRICS.filter((metric) => rows.some((row) => metric in row))

  return (
    <>
      <PageTitle>Reports</PageTitle>
      <Group mb="md" align="flex-end">
        <Select
          label="Group by"
          data={GROUPINGS.map((value) => ({ value, label: value.replace('_', ' ') }))}
          value={groupBy}
          allowDeselect={false}
          onChange={(value) =>
            navigate({
              search: (prev) => ({
                ...prev,
                group_by: (value ?? undefined) as typeof prev.group_by,
              }),
            })
          }
        />
        <TextInput
          label="From"
          type="date"
          value={from}
          onChange={(event) => {
            const value = event.currentTarget.value
            void navigate({ search: (prev) => ({ ...prev, from: value || undefined }) })
          }}
        />
        <TextInput
          label="To"
          type="date"
          value={to}
          onChange={(event) => {
            const value = event.currentTarget.value
            void navigate({ search: (prev) => ({ ...prev, to: value || undefined }) })
          }}
        />
      </Group>
      <ErrorAlert error={report.error} title="Could not run the report" />
      {report.isSuccess && rows.length === 0 ? (
        <EmptyState
          title="No traffic in this range"
          next="Widen the dates, or send a click through an offer's tracking link: reports count it at once."
        />
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{groupBy.replace('_', ' ')}</Table.Th>
              <Table.Th>currency</Table.Th>
              {metrics.map((metric) => (
                <Table.Th key={metric} ta="right">
                  {metric.replace('_', ' ')}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={`${row[groupBy]}-${row.currency}`}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{row[groupBy] ?? '—'}</Table.Td>
                <Table.Td>{row.currency ?? '—'}</Table.Td>
                {metrics.map((metric) => (
                  <Table.Td key={metric} ta="right">
                    {row[metric] ?? '—'}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  )
}
