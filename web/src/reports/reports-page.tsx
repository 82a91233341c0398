import {
  Button,
  CopyButton,
  Group,
  MultiSelect,
  Paper,
  Select,
  Table,
  TextInput,
} from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { getRouteApi } from '@tanstack/react-router'
import { useEffect, useMemo } from 'react'
import { roleOf, useSession } from '../access/session.ts'
import { TrafficChart } from '../dashboard/traffic-chart.tsx'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { PageTitle } from '../shell/app-shell.tsx'
import { formatEpc, formatMoney, formatRate } from './figures.ts'
import { GroupChart } from './group-chart.tsx'
import { FILTERS, GROUPINGS, type Grouping, METRICS, type ReportSearch } from './groupings.ts'
import { localDate, metric, reportCsvText, reportQuery, TIME_ZONE } from './report-queries.ts'
import { trafficSeries } from './time-series.ts'

const route = getRouteApi('/app/reports')
const TIME_ZONES = Intl.supportedValuesOf('timeZone')
const CHARTED = 20
const label = (name: string) => name.replaceAll('_', ' ')

/**
 * Counts and money grouped by any of the API's dimensions, over a range of days in a time zone,
 * sorted, charted and downloadable as CSV. The URL holds the whole query, dates and zone
 * included, so a copied link opens the same report for someone else.
 */
export function ReportsPage() {
  const search = route.useSearch()
  // Which affiliate sent what is not an advertiser's to know: the API refuses that group and filter.
  const advertiser = roleOf(useSession()) === 'advertiser'
  const groupings = GROUPINGS.filter((name) => !advertiser || name !== 'affiliate_id')
  const filters = FILTERS.filter((name) => !advertiser || name !== 'affiliate_id')
  const navigate = route.useNavigate()
  const change = (next: Partial<ReportSearch>) =>
    navigate({ search: (prev) => ({ ...prev, ...next }), replace: false })
  const query = {
    group_by: search.group_by ?? 'day',
    from: search.from ?? localDate(6),
    to: search.to ?? localDate(0),
    tz: search.tz ?? TIME_ZONE,
    sort: search.sort,
    ...Object.fromEntries(FILTERS.map((name) => [name, search[name]])),
  }
  // Relative defaults ("the last 7 days") are written into the URL: a shared link then shows
  // the same days, not the reader's last 7.
  useEffect(() => {
    if (search.group_by && search.from && search.to && search.tz) return
    void navigate({
      search: (prev) => ({
        ...prev,
        group_by: query.group_by,
        from: query.from,
        to: query.to,
        tz: query.tz,
      }),
      replace: true,
    })
  })
  const groups = useMemo(() => query.group_by.split(',') as Grouping[], [query.group_by])
  const report = useQuery(reportQuery(query))
  const rows = report.data?.rows ?? []
  const metrics = METRICS.filter((name) => name in (report.data?.totals ?? {}))
  const download = useMutation({
    mutationFn: async () =>
      saveFile(`report-${query.from}-${query.to}.csv`, await reportCsvText(query)),
  })
  const descending = query.sort?.startsWith('-') ?? false
  const sortField = query.sort?.replace(/^-/, '') ?? ''

  return (
    <>
      <PageTitle>Reports</PageTitle>
      <Paper
        withBorder
        p="md"
        mb="md"
        component="form"
        aria-label="Report query"
        onSubmit={(e) => e.preventDefault()}
      >
        <Group align="flex-end" wrap="wrap">
          <MultiSelect
            label="Group by"
            searchable
            data={groupings.map((value) => ({ value, label: label(value) }))}
            value={groups}
            onChange={(value) => change({ group_by: value.length ? value.join(',') : undefined })}
            miw={220}
            maw={420}
          />
          <TextInput
            label="From"
            type="date"
            value={query.from}
            onChange={(event) => change({ from: event.currentTarget.value || undefined })}
          />
          <TextInput
            label="To"
            type="date"
            value={query.to}
            onChange={(event) => change({ to: event.currentTarget.value || undefined })}
          />
          <Select
            label="Time zone"
            searchable
            data={TIME_ZONES.includes(query.tz) ? TIME_ZONES : [query.tz, ...TIME_ZONES]}
            value={query.tz}
            allowDeselect={false}
            onChange={(value) => change({ tz: value ?? undefined })}
          />
          <Select
            label="Sort by"
            clearable
            placeholder="groups"
            data={[...groups, ...metrics].map((value) => ({ value, label: label(value) }))}
            value={sortField || null}
            onChange={(value) =>
              change({ sort: value ? `${descending ? '-' : ''}${value}` : undefined })
            }
          />
          <Select
            label="Order"
            data={[
              { value: 'asc', label: 'Ascending' },
              { value: 'desc', label: 'Descending' },
            ]}
            value={descending ? 'desc' : 'asc'}
            allowDeselect={false}
            disabled={!sortField}
            onChange={(value) => change({ sort: `${value === 'desc' ? '-' : ''}${sortField}` })}
          />
        </Group>
        <Group align="flex-end" mt="sm" wrap="wrap">
          {filters.map((name) => (
            <TextInput
              key={`${name}-${search[name] ?? ''}`}
              label={`Filter ${label(name)}`}
              defaultValue={search[name] ?? ''}
              w={140}
              onBlur={(event) => change({ [name]: event.currentTarget.value.trim() || undefined })}
              onKeyDown={(event) => {
                if (event.key === 'Enter')
                  change({ [name]: event.currentTarget.value.trim() || undefined })
              }}
            />
          ))}
          <Button variant="default" onClick={() => download.mutate()} loading={download.isPending}>
            Download CSV
          </Button>
          <CopyButton value={window.location.href}>
            {({ copied, copy }) => (
              <Button variant="subtle" onClick={copy}>
                {copied ? 'Link copied' : 'Copy link to this report'}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Paper>
      <ErrorAlert error={report.error ?? download.error} title="Could not run the report" />
      {report.isSuccess && rows.length === 0 ? (
        <EmptyState
          title="No traffic in this range"
          next="Widen the dates or clear a filter, or send a click through an offer's tracking link: reports count it at once."
        />
      ) : (
        <>
          {report.data && (
            <Paper withBorder p="md" mb="md">
              <ReportChart rows={rows} groups={groups} from={query.from} to={query.to} />
            </Paper>
          )}
          <Table striped highlightOnHover aria-label="Report">
            <Table.Thead>
              <Table.Tr>
                {groups.map((group) => (
                  <Table.Th key={group}>{label(group)}</Table.Th>
                ))}
                <Table.Th>currency</Table.Th>
                {metrics.map((name) => (
                  <Table.Th key={name} ta="right">
                    {label(name)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={[...groups.map((group) => row[group]), row.currency].join('|')}>
                  {groups.map((group) => (
                    <Table.Td key={group} style={{ whiteSpace: 'nowrap' }}>
                      {row[group] ?? '—'}
                    </Table.Td>
                  ))}
                  <Table.Td>{row.currency ?? '—'}</Table.Td>
                  {metrics.map((name) => (
                    <Table.Td key={name} ta="right">
                      {cell(row, name)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
            {report.data && (
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th colSpan={groups.length}>Total</Table.Th>
                  <Table.Th>{report.data.totals.currency ?? 'mixed'}</Table.Th>
                  {metrics.map((name) => (
                    <Table.Th key={name} ta="right">
                      {cell(report.data.totals, name)}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Tfoot>
            )}
          </Table>
        </>
      )}
    </>
  )
}

type Row = Record<string, string | number | null>

function cell(row: Row, name: string): string {
  if (name === 'revenue' || name === 'payout' || name === 'profit')
    return formatMoney(row[name], row.currency)
  if (name === 'epc') return formatEpc(row.epc, row.currency)
  if (name === 'cr') return formatRate(row.cr)
  return String(row[name] ?? '—')
}

/** Over time when grouped by hour or day, else the first groups side by side. */
function ReportChart({
  rows,
  groups,
  from,
  to,
}: {
  rows: Row[]
  groups: Grouping[]
  from: string
  to: string
}) {
  const step = groups.includes('hour') ? 'hour' : groups.includes('day') ? 'day' : undefined
  const series = useMemo(
    () => (step ? trafficSeries(rows, from, to, step) : undefined),
    [rows, from, to, step],
  )
  const bars = useMemo(() => {
    const shown = rows.slice(0, CHARTED)
    return {
      labels: shown.map((row) => groups.map((group) => String(row[group] ?? '—')).join(' · ')),
      clicks: shown.map((row) => metric(row, 'clicks')),
      conversions: shown.map((row) => metric(row, 'conversions')),
    }
  }, [rows, groups])
  if (step && series)
    return <TrafficChart {...series} step={step} caption={`Clicks and conversions per ${step}`} />
  return (
    <GroupChart
      {...bars}
      caption={`Clicks and conversions of the first ${bars.labels.length} rows, in the table's order`}
    />
  )
}

/** Hands `text` to the browser as a downloaded file. */
function saveFile(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }))
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
