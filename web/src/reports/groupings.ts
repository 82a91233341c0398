import { optionalText } from '../shared/search-params.ts'

/** What a report can be grouped by, as `group_by` names them (the API's own list). */
export const GROUPINGS = [
  'day',
  'hour',
  'offer_id',
  'affiliate_id',
  'goal',
  'country',
  'device',
  'source',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'is_bot',
  'blocked_reason',
] as const
export type Grouping = (typeof GROUPINGS)[number]

/** The figures of a report row, in the order a table shows them. */
export const METRICS = [
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

/** Filters a report takes, by the dimension they match exactly. */
export const FILTERS = ['offer_id', 'affiliate_id', 'country', 'source', 'sub1'] as const

/** A report's whole query as the URL keeps it, so a report link opens the same report. */
export interface ReportSearch {
  group_by?: string
  from?: string
  to?: string
  tz?: string
  sort?: string
  offer_id?: string
  affiliate_id?: string
  country?: string
  source?: string
  sub1?: string
}

/** Reads a report's query from the URL: unknown groupings are dropped, the rest kept as text. */
export function reportSearch(search: Record<string, unknown>): ReportSearch {
  const groups = optionalText(search.group_by)
    ?.split(',')
    .filter((key): key is Grouping => GROUPINGS.includes(key as Grouping))
  const date = (value: unknown) => {
    const text = optionalText(value)
    return text && /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : undefined
  }
  return {
    group_by: groups && groups.length > 0 ? groups.join(',') : undefined,
    from: date(search.from),
    to: date(search.to),
    tz: optionalText(search.tz),
    sort: optionalText(search.sort),
    ...Object.fromEntries(FILTERS.map((name) => [name, optionalText(search[name])])),
  }
}
