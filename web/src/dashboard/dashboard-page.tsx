import { Paper, SimpleGrid, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import { may } from '../access/may.ts'
import { useSession } from '../access/session.ts'
import { localDate, metric, reportQuery } from '../reports/report-queries.ts'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { PageTitle } from '../shell/app-shell.tsx'
import { LiveFeed } from './live-feed.tsx'
import { PeriodTotals } from './period-totals.tsx'
import { TrafficChart } from './traffic-chart.tsx'

const HOUR = 3600

export function DashboardPage() {
  const hourly = useQuery(reportQuery({ group_by: 'hour', from: localDate(6), to: localDate(0) }))
  // The report has rows only for hours with traffic: every hour of the week gets a point.
  const series = useMemo(() => {
    const end = Math.floor(Date.now() / 1000 / HOUR) * HOUR
    const hours = Array.from({ length: 7 * 24 }, (_, i) => end - (7 * 24 - 1 - i) * HOUR)
    const clicks = new Map<number, number>()
    const conversions = new Map<number, number>()
    for (const row of hourly.data?.rows ?? []) {
      const at = Math.floor(Date.parse(String(row.hour)) / 1000)
      clicks.set(at, (clicks.get(at) ?? 0) + metric(row, 'clicks'))
      conversions.set(at, (conversions.get(at) ?? 0) + metric(row, 'conversions'))
    }
    return {
      hours,
      clicks: hours.map((h) => clicks.get(h) ?? 0),
      conversions: hours.map((h) => conversions.get(h) ?? 0),
    }
  }, [hourly.data])

  return (
    <>
      <PageTitle>Dashboard</PageTitle>
      <ErrorAlert error={hourly.error} title="Could not load the report" />
      <PeriodTotals />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Paper withBorder p="md" component="section" aria-labelledby="traffic-title">
          <Title order={2} size="h4" id="traffic-title" mb="xs">
            Clicks and conversions
          </Title>
          {hourly.data && <TrafficChart {...series} />}
        </Paper>
        {may(useSession(), 'GET /api/v1/live') && <LiveFeed />}
      </SimpleGrid>
    </>
  )
}
