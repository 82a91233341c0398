import { Paper, SimpleGrid, Text } from '@mantine/core'
import { useQueries } from '@tanstack/react-query'
import { localDate, metric, reportQuery } from '../reports/report-queries.ts'

const PERIODS = [
  { label: 'Today', from: () => localDate(0), to: () => localDate(0) },
  { label: 'Yesterday', from: () => localDate(1), to: () => localDate(1) },
  { label: 'Last 7 days', from: () => localDate(6), to: () => localDate(0) },
  { label: 'This month', from: () => `${localDate(0).slice(0, 8)}01`, to: () => localDate(0) },
]

/** Clicks, conversions and payout for today, yesterday, the last 7 days and this month. */
export function PeriodTotals() {
  const results = useQueries({
    queries: PERIODS.map((period) =>
      reportQuery({ group_by: '', from: period.from(), to: period.to() }),
    ),
  })
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} mb="lg">
      {PERIODS.map((period, index) => {
        const totals = results[index]?.data?.totals
        return (
          <Paper key={period.label} withBorder p="md" component="section" aria-label={period.label}>
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
            <Text size="sm" c="dimmed">
              {/* An advertiser's report has revenue (what it pays), not the affiliates' payout. */}
              {totals && !('payout' in totals)
                ? `Revenue ${metric(totals, 'revenue')}`
                : `Payout ${totals ? metric(totals, 'payout') : '…'}`}
            </Text>
          </Paper>
        )
      })}
    </SimpleGrid>
  )
}

function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
