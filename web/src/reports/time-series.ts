import { metric } from './report-queries.ts'

export type Step = 'hour' | 'day'

/** Epoch seconds of each local hour or day from the day `from` to the day `to`, both included. */
export function timeBuckets(from: string, to: string, step: Step): number[] {
  const start = localMidnight(from)
  const end = localMidnight(to)
  end.setDate(end.getDate() + 1)
  const buckets: number[] = []
  // Hours step in real time, so a day with a clock change has 23 or 25 of them.
  for (let at = start; at < end && buckets.length < 10_000; ) {
    buckets.push(at.getTime() / 1000)
    at = step === 'hour' ? new Date(at.getTime() + 3_600_000) : nextDay(at)
  }
  return buckets
}

/** Clicks and conversions per bucket, zero where the report has no row (no traffic then). */
export function trafficSeries(
  rows: readonly Record<string, string | number | null>[],
  from: string,
  to: string,
  step: Step,
): { times: number[]; clicks: number[]; conversions: number[] } {
  const times = timeBuckets(from, to, step)
  const clicks = new Map<number, number>()
  const conversions = new Map<number, number>()
  for (const row of rows) {
    const key = row[step]
    if (typeof key !== 'string') continue
    // Rows come per currency too: the same bucket can appear more than once.
    const at = step === 'day' ? localMidnight(key).getTime() / 1000 : Date.parse(key) / 1000
    clicks.set(at, (clicks.get(at) ?? 0) + metric(row, 'clicks'))
    conversions.set(at, (conversions.get(at) ?? 0) + metric(row, 'conversions'))
  }
  return {
    times,
    clicks: times.map((at) => clicks.get(at) ?? 0),
    conversions: times.map((at) => conversions.get(at) ?? 0),
  }
}

function localMidnight(day: string): Date {
  const [year = 1970, month = 1, date = 1] = day.split('-').map(Number)
  return new Date(year, month - 1, date)
}

function nextDay(day: Date): Date {
  const next = new Date(day)
  next.setDate(next.getDate() + 1)
  return next
}
