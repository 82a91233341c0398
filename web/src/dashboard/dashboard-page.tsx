import { Group, Paper, SegmentedControl, SimpleGrid, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { getRouteApi } from '@tanstack/react-router'
import { useMemo } from 'react'
import { may } from '../access/may.ts'
import { roleOf, useSession } from '../access/session.ts'
import { reportQuery } from '../reports/report-queries.ts'
import { trafficSeries } from '../reports/time-series.ts'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { PageTitle } from '../shell/app-shell.tsx'
import { LiveFeed } from './live-feed.tsx'
import { PeriodTotals } from './period-totals.tsx'
import { PERIODS, type PeriodKey, periodOf, type Rank } from './periods.ts'
import { TopTable } from './top-table.tsx'
import { TrafficChart } from './traffic-chart.tsx'

const route = getRouteApi('/app/')

/**
 * The network at a glance: four periods' figures, one period charted (by hour for a day, by day
 * for longer) with its top offers and affiliates, and the live feed. The period is in the URL.
 */
export function DashboardPage() {
  const search = route.useSearch()
  const navigate = route.useNavigate()
  const session = useSession()
  const period = periodOf(search.period)
  const rank: Rank = search.rank ?? 'conversions'
  const from = period.from()
  const to = period.to()
  const traffic = useQuery(reportQuery({ group_by: period.step, from, to }))
  // The chart redraws when its arrays change: they change with the data, not every render.
  const series = useMemo(
    () => trafficSeries(traffic.data?.rows ?? [], from, to, period.step),
    [traffic.data, from, to, period.step],
  )
  // Revenue is the network's: an affiliate ranks by conversions only.
  const seesRevenue = roleOf(session) !== 'affiliate' && roleOf(session) !== 'advertiser'

  return (
    <>
      <PageTitle>Dashboard</PageTitle>
      <ErrorAlert error={traffic.error} title="Could not load the report" />
      <PeriodTotals selected={period.key} />
      <Group mb="md" gap="lg">
        <SegmentedControl
          aria-label="Period"
          value={period.key}
          data={PERIODS.map((p) => ({ value: p.key, label: p.label }))}
          onChange={(value) =>
            navigate({ search: (prev) => ({ ...prev, period: value as PeriodKey }) })
          }
        />
        {seesRevenue && (
          <SegmentedControl
            aria-label="Rank top tables by"
            value={rank}
            data={[
              { value: 'conversions', label: 'By conversions' },
              { value: 'revenue', label: 'By revenue' },
            ]}
            onChange={(value) => navigate({ search: (prev) => ({ ...prev, rank: value as Rank }) })}
          />
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, lg: 2 }} mb="md">
        <Paper withBorder p="md" component="section" aria-labelledby="traffic-title">
          <Title order={2} size="h4" id="traffic-title" mb="xs">
            Clicks and conversions
          </Title>
          {traffic.data && (
            <TrafficChart
              {...series}
              step={period.step}
              caption={`${period.label}, per ${period.step}`}
            />
          )}
        </Paper>
        {may(session, 'GET /api/v1/live') && <LiveFeed />}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <TopTable dimension="offer_id" from={from} to={to} rank={rank} />
        {may(session, 'GET /api/v1/affiliates') && (
          <TopTable dimension="affiliate_id" from={from} to={to} rank={rank} />
        )}
      </SimpleGrid>
    </>
  )
}
