import { Paper, SimpleGrid, Table, Text } from '@mantine/core'
import { useQueries } from '@tanstack/react-query'
import type { Report } from '../api/api-types.ts'
import { counted, formatEpc, formatMoney, formatRate } from '../reports/figures.ts'
import { metric, reportQuery } from '../reports/report-queries.ts'
import { PERIODS, type PeriodKey } from './periods.ts'

/**
 * Clicks, conversions, revenue, payout, profit, CR and EPC for today, yesterday, the last 7 days
 * and this month. Money is shown per currency: a network with offers in two currencies has no
 * single sum to show.
 */
export function PeriodTotals({ selected }: { selected: PeriodKey }) {
  const results = useQueries({
    queries: PERIODS.map((period) =>
      reportQuery({ group_by: '', from: period.from(), to: period.to() }),
    ),
  })
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} mb="lg">
      {PERIODS.map((period, index) => {
        const report = results[index]?.data
        const totals = report?.totals
        return (
          <Paper
            key={period.key}
            withBorder
            p="md"
            component="section"
            aria-label={period.label}
            style={
              period.key === selected
                ? { borderColor: 'var(--mantine-primary-color-filled)' }
                : undefined
            }
          >
            <Text size="sm" c="dimmed" fw={600}>
              {period.label}
            </Text>
            <Text size="xl" fw={700}>
              {totals ? counted(metric(totals, 'clicks'), 'click') : '… clicks'}
            </Text>
            <Text>
              {totals ? counted(metric(totals, 'conversions'), 'conversion') : '… conversions'}
              {totals && metric(totals, 'pending_conversions') > 0
                ? ` (+${metric(totals, 'pending_conversions')} pending)`
                : ''}
            </Text>
            {report && <Money report={report} />}
          </Paper>
        )
      })}
    </SimpleGrid>
  )
}

/** A period's money, one line per currency, and its rate. */
function Money({ report }: { report: Report }) {
  // An affiliate's report has no revenue or profit, an advertiser's no payout or profit: each
  // sees only its own side of the money.
  const figures = (['revenue', 'payout', 'profit'] as const).filter((name) => name in report.totals)
  const perCurrency = (show: (row: Report['rows'][number]) => string) =>
    report.rows.length === 0 ? '—' : report.rows.map(show).join(' · ')
  return (
    <Table mt="xs" fz="sm" verticalSpacing={2} horizontalSpacing={0}>
      <Table.Tbody>
        {figures.map((name) => (
          <Table.Tr key={name}>
            <Table.Th scope="row" fw={400} c="dimmed">
              {name[0]?.toUpperCase() + name.slice(1)}
            </Table.Th>
            <Table.Td ta="right">
              {perCurrency((row) => formatMoney(row[name], row.currency))}
            </Table.Td>
          </Table.Tr>
        ))}
        <Table.Tr>
          <Table.Th scope="row" fw={400} c="dimmed">
            CR
          </Table.Th>
          <Table.Td ta="right">{formatRate(report.totals.cr)}</Table.Td>
        </Table.Tr>
        {/* An advertiser's report has no EPC: what affiliates earn per click is not its to see. */}
        {'epc' in report.totals && (
          <Table.Tr>
            <Table.Th scope="row" fw={400} c="dimmed">
              EPC
            </Table.Th>
            <Table.Td ta="right">{perCurrency((row) => formatEpc(row.epc, row.currency))}</Table.Td>
          </Table.Tr>
        )}
      </Table.Tbody>
    </Table>
  )
}
