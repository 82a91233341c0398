import { currencyDigits, formatDecimal } from '../shared/money.ts'
import { COUNTERS, type Counter } from './rollup-tiers.ts'
import type { GroupKey, ReportGroup } from './run-report.ts'

export type ReportRow = Record<string, string | number | null>

export interface Report {
  rows: ReportRow[]
  totals: ReportRow
}

export interface Presentation {
  groupBy: GroupKey[]
  /** A metric or dimension, `-` first for descending. */
  sort?: string
  limit: number
}

const RATE_DECIMALS = 6

/**
 * Turns summed groups into rows with cr, epc and profit computed from the exact sums, sorted and
 * cut to `limit`; totals cover every group. Money is per currency: when a report spans offers in
 * several currencies, each row names its currency and the totals' money is null.
 */
export function presentReport(groups: ReportGroup[], view: Presentation): Report {
  const rows = groups.map((group) => ({ ...group.keys, ...metrics(group.counts, group.currency) }))
  sortRows(rows, view)
  const currencies = new Set(groups.map((group) => group.currency))
  const sums = Object.fromEntries(
    COUNTERS.map((counter) => [
      counter,
      groups.reduce((sum, group) => sum + group.counts[counter], 0),
    ]),
  ) as Record<Counter, number>
  const single = currencies.size <= 1 ? ([...currencies][0] ?? null) : null
  const totals = metrics(sums, single)
  return { rows: rows.slice(0, view.limit), totals }
}

function metrics(counts: Record<Counter, number>, currency: string | null): ReportRow {
  const digits = currency === null ? undefined : (currencyDigits(currency) ?? 2)
  const money = (minor: number) => (digits === undefined ? null : formatDecimal(minor, digits))
  const profit = counts.revenue - counts.payout
  return {
    currency,
    clicks: counts.clicks,
    unique_clicks: counts.unique_clicks,
    conversions: counts.conversions,
    pending_conversions: counts.pending_conversions,
    rejected_conversions: counts.rejected_conversions,
    held_conversions: counts.held_conversions,
    flagged_conversions: counts.flagged_conversions,
    revenue: money(counts.revenue),
    payout: money(counts.payout),
    profit: money(profit),
    cr: counts.clicks === 0 ? 0 : round(counts.conversions / counts.clicks, RATE_DECIMALS),
    epc:
      digits === undefined
        ? null
        : counts.clicks === 0
          ? 0
          : round(counts.payout / counts.clicks / 10 ** digits, digits + 2),
    // Last, so CSV columns of earlier versions keep their places.
    blocked_clicks: counts.blocked_clicks,
  }
}

function round(value: number, decimals: number): number {
  return Number(value.toFixed(decimals))
}

function sortRows(rows: ReportRow[], view: Presentation): void {
  const descending = view.sort?.startsWith('-') ?? false
  const field = view.sort?.replace(/^-/, '')
  const fields = field ? [field, ...view.groupBy] : [...view.groupBy]
  // Sort keys are worked out once per row, not once per comparison.
  const keyed = rows.map((row) => ({ row, keys: fields.map((name) => sortKey(row[name] ?? null)) }))
  keyed.sort((a, b) => {
    for (let index = 0; index < fields.length; index++) {
      const order = compare(a.keys[index]!, b.keys[index]!)
      if (order !== 0) return index === 0 && descending ? -order : order
    }
    return 0
  })
  keyed.forEach(({ row }, index) => {
    rows[index] = row
  })
}

// Ids are numeric strings: they order as numbers.
function sortKey(value: string | number | null): string | number | null {
  return typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value
}

function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return String(a) < String(b) ? -1 : 1
}
