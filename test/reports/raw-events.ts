// Synthetic traffic fed straight into the rollups, and a brute-force computation of reports from
// the same raw events to compare them with.
import {
  type ConversionState,
  conversionCounts,
  type RollupDelta,
} from '../../src/reports/index.ts'

export const CURRENCY: Record<number, string> = { 1: 'USD', 2: 'USD', 3: 'JPY' }

export interface RawEvent {
  at: number
  offerId: number
  affiliateId: number
  country: string | null
  sub1: string | null
  kind: 'click' | 'conversion'
  goal: string
  unique: boolean
  states: ConversionState[]
  revenue: number
  payout: number
}

/** `count` random events in [start, start + spanMs), the same ones for the same seed. */
export function makeEvents(count: number, seed: number, start: number, spanMs: number): RawEvent[] {
  let state = seed
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return state / 2 ** 31
  }
  const pick = <T>(values: T[]): T => values[Math.floor(random() * values.length)]!
  const lifecycles: ConversionState[][] = [
    ['approved'],
    ['pending'],
    ['pending', 'approved'],
    ['pending', 'rejected'],
    ['approved', 'rejected'],
    ['rejected'],
  ]
  return Array.from({ length: count }, () => ({
    at: start + Math.floor(random() * spanMs),
    offerId: pick([1, 2, 3]),
    affiliateId: pick([1, 2]),
    country: pick(['US', 'DE', null]),
    sub1: pick(['a', 'b,"quoted"', '=HYPERLINK()', null]),
    kind: random() < 0.8 ? 'click' : 'conversion',
    goal: pick(['default', 'sale']),
    unique: random() < 0.6,
    states: pick(lifecycles),
    revenue: Math.floor(random() * 100_000),
    payout: Math.floor(random() * 50_000),
  }))
}

export function toDeltas(events: RawEvent[]): RollupDelta[] {
  return events.flatMap((event) => {
    const base = {
      at: event.at,
      offerId: event.offerId,
      affiliateId: event.affiliateId,
      currency: CURRENCY[event.offerId]!,
      values: {
        country: event.country,
        sub1: event.sub1,
        goal: event.kind === 'click' ? null : event.goal,
      },
    }
    if (event.kind === 'click') {
      return [{ ...base, counts: { clicks: 1, unique_clicks: event.unique ? 1 : 0 } }]
    }
    return event.states.map((to, i) => ({
      ...base,
      counts: conversionCounts(i === 0 ? null : event.states[i - 1]!, to, event),
    }))
  })
}

const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** The local date (YYYY-MM-DD) of an instant in `tz`, straight from Intl. */
export function localDay(tz: string, at: number): string {
  let format = dayFormats.get(tz)
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
    dayFormats.set(tz, format)
  }
  return format.format(at)
}

/** Brute force: final state of every raw event, grouped by the raw time's local day. */
export function expected(
  events: RawEvent[],
  keyOf: (e: RawEvent) => Record<string, string | null>,
) {
  const rows = new Map<string, Record<string, unknown>>()
  for (const event of events) {
    const keys = { ...keyOf(event), currency: CURRENCY[event.offerId]! }
    const id = JSON.stringify(keys)
    const row = rows.get(id) ?? {
      ...keys,
      clicks: 0,
      unique_clicks: 0,
      conversions: 0,
      pending_conversions: 0,
      rejected_conversions: 0,
      revenue: 0,
      payout: 0,
    }
    rows.set(id, row)
    const add = (name: string, value: number) => {
      row[name] = (row[name] as number) + value
    }
    if (event.kind === 'click') {
      add('clicks', 1)
      add('unique_clicks', event.unique ? 1 : 0)
      continue
    }
    const final = event.states.at(-1)!
    if (final === 'approved') {
      add('conversions', 1)
      add('revenue', event.revenue)
      add('payout', event.payout)
    } else add(final === 'pending' ? 'pending_conversions' : 'rejected_conversions', 1)
  }
  return [...rows.values()]
}

export function normalize(rows: Array<Record<string, unknown>>, keys: string[]) {
  const digits = (currency: unknown) => (currency === 'JPY' ? 0 : 2)
  return rows
    .map((row) => {
      const out: Record<string, unknown> = {}
      for (const key of keys) out[key] = row[key] ?? null
      for (const c of [
        'clicks',
        'unique_clicks',
        'conversions',
        'pending_conversions',
        'rejected_conversions',
      ])
        out[c] = row[c]
      // Reports show money as decimals; compare in minor units.
      out.revenue = Math.round(
        (row.revenue as number) *
          (typeof row.revenue === 'number' && 'cr' in row ? 10 ** digits(row.currency) : 1),
      )
      out.payout = Math.round(
        (row.payout as number) * ('cr' in row ? 10 ** digits(row.currency) : 1),
      )
      return out
    })
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
}
