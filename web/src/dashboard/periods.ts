import { localDate } from '../reports/report-queries.ts'
import type { Step } from '../reports/time-series.ts'

/** The dashboard's periods, in the viewer's time zone; a day is charted by hour, longer by day. */
export const PERIODS = [
  { key: 'today', label: 'Today', from: () => localDate(0), to: () => localDate(0), step: 'hour' },
  {
    key: 'yesterday',
    label: 'Yesterday',
    from: () => localDate(1),
    to: () => localDate(1),
    step: 'hour',
  },
  {
    key: '7d',
    label: 'Last 7 days',
    from: () => localDate(6),
    to: () => localDate(0),
    step: 'day',
  },
  {
    key: 'month',
    label: 'This month',
    from: () => `${localDate(0).slice(0, 8)}01`,
    to: () => localDate(0),
    step: 'day',
  },
] as const satisfies readonly {
  key: string
  label: string
  from: () => string
  to: () => string
  step: Step
}[]

export type PeriodKey = (typeof PERIODS)[number]['key']
export const PERIOD_KEYS = PERIODS.map((period) => period.key)

/** What the top tables rank by. */
export const RANKS = ['conversions', 'revenue'] as const
export type Rank = (typeof RANKS)[number]

export function periodOf(key: PeriodKey | undefined) {
  return PERIODS.find((period) => period.key === key) ?? PERIODS[0]
}
