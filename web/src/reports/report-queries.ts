import { dataOrThrow } from '../api/api-error.ts'
import { api } from '../api/client.ts'
import type { operations } from '../api/schema.d.ts'

/** The browser's time zone: days and hours in reports are the viewer's own. */
export const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'

/** A report's query as the API takes it; the time zone is the viewer's unless it says another. */
export type ReportFilter = Omit<
  NonNullable<operations['getReport']['parameters']['query']>,
  'format'
>

export const reportQuery = (filter: ReportFilter) => ({
  queryKey: ['reports', filter],
  // Numbers on a dashboard are read at a glance: fetched anew each time it opens, and kept
  // current by the live feed (which invalidates them) or, failing that, every 30 s.
  refetchOnMount: 'always' as const,
  refetchInterval: 30_000,
  queryFn: async () =>
    dataOrThrow(
      await api.GET('/api/v1/reports', {
        params: { query: { ...filter, tz: filter.tz ?? TIME_ZONE } },
      }),
    ),
})

/** `YYYY-MM-DD` of a day in the viewer's zone, `daysAgo` days before today. */
export function localDate(daysAgo = 0, from = new Date()): string {
  const day = new Date(from)
  day.setDate(day.getDate() - daysAgo)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`
}

/** A report cell as a number; money of mixed currencies is null and reads as 0 here. */
export function metric(
  row: Record<string, string | number | null> | undefined,
  name: string,
): number {
  const value = row?.[name]
  return typeof value === 'number' ? value : Number(value ?? 0) || 0
}

/** The report as CSV text, as `format=csv` gives it (the columns the caller may see). */
export async function reportCsvText(filter: ReportFilter): Promise<string> {
  const result = await api.GET('/api/v1/reports', {
    params: { query: { ...filter, tz: filter.tz ?? TIME_ZONE, format: 'csv' } },
    parseAs: 'text',
  })
  return dataOrThrow(result) as unknown as string
}
