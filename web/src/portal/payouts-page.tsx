import { Button, Group, Table, TextInput } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { getRouteApi } from '@tanstack/react-router'
import { dataOrThrow } from '../api/api-error.ts'
import { api } from '../api/client.ts'
import { offersQuery } from '../catalog/catalog-queries.ts'
import { downloadReportCsv } from '../reports/download-report-csv.ts'
import { TIME_ZONE } from '../reports/report-queries.ts'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { PageTitle } from '../shell/app-shell.tsx'

const route = getRouteApi('/app/payouts')

/** `YYYY-MM` of the current month, in the viewer's zone. */
export function thisMonth(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`
}

// The first and last day of a month: the report's `to` date counts as a whole day.
function monthRange(month: string): { from: string; to: string } {
  const [year = 1970, index = 1] = month.split('-').map(Number)
  const last = new Date(year, index, 0).getDate()
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` }
}

/**
 * What the network owes for a month: approved conversions' payout by offer and goal, summed by
 * the server (exact money), with a CSV of the same rows.
 */
export function PayoutsPage() {
  const search = route.useSearch()
  const navigate = route.useNavigate()
  const month = search.month ?? thisMonth()
  const query = { group_by: 'offer_id,goal', ...monthRange(month), tz: TIME_ZONE }
  const report = useQuery({
    queryKey: ['reports', 'payouts', query],
    queryFn: async () => dataOrThrow(await api.GET('/api/v1/reports', { params: { query } })),
  })
  const offers = useQuery(offersQuery({}))
  const offerName = (id: unknown) =>
    offers.data?.data.find((offer) => offer.id === id)?.name ?? `Offer ${String(id)}`
  const csv = useMutation({ mutationFn: () => downloadReportCsv(query, `payouts-${month}.csv`) })
  const rows = (report.data?.rows ?? []).filter((row) => Number(row.conversions ?? 0) > 0)

  return (
    <>
      <PageTitle>Payouts</PageTitle>
      <Group mb="md" align="flex-end">
        <TextInput
          label="Month"
          type="month"
          value={month}
          onChange={(event) => {
            const value = event.currentTarget.value
            void navigate({ search: (prev) => ({ ...prev, month: value || undefined }) })
          }}
        />
        <Button variant="default" onClick={() => csv.mutate()} loading={csv.isPending}>
          Download CSV
        </Button>
      </Group>
      <ErrorAlert error={report.error ?? csv.error} title="Could not load the payouts" />
      {report.isSuccess && rows.length === 0 ? (
        <EmptyState
          title="No approved conversions this month"
          next="Pick another month, or send traffic through your links: approved conversions add up here."
        />
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Offer</Table.Th>
              <Table.Th>Goal</Table.Th>
              <Table.Th ta="right">Approved conversions</Table.Th>
              <Table.Th ta="right">Payout</Table.Th>
              <Table.Th>Currency</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={`${row.offer_id}-${row.goal}-${row.currency}`}>
                <Table.Td>{offerName(row.offer_id)}</Table.Td>
                <Table.Td>{String(row.goal ?? '—')}</Table.Td>
                <Table.Td ta="right">{row.conversions}</Table.Td>
                <Table.Td ta="right">{row.payout ?? '—'}</Table.Td>
                <Table.Td>{row.currency ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          {report.data?.totals && rows.length > 0 && (
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th>Total</Table.Th>
                <Table.Th />
                <Table.Th ta="right">{report.data.totals.conversions}</Table.Th>
                <Table.Th ta="right">{report.data.totals.payout ?? 'mixed currencies'}</Table.Th>
                <Table.Th>{report.data.totals.currency ?? ''}</Table.Th>
              </Table.Tr>
            </Table.Tfoot>
          )}
        </Table>
      )}
    </>
  )
}
