/** Dimensions a report can group or filter by, besides time. */
export const DIMENSIONS = [
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
] as const
export type Dimension = (typeof DIMENSIONS)[number]

export const COUNTERS = [
  'clicks',
  'unique_clicks',
  'conversions',
  'pending_conversions',
  'rejected_conversions',
  'revenue',
  'payout',
] as const
export type Counter = (typeof COUNTERS)[number]

export type RollupTable =
  | 'rollup_total_daily'
  | 'rollup_total'
  | 'rollup_lean_daily'
  | 'rollup_lean'
  | 'rollup_geo'
  | 'rollup_full'

export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000

export interface Tier {
  table: RollupTable
  /** Key columns besides `bucket` and `currency`. */
  dimensions: readonly Dimension[]
  /** Bucket length: an hour, or a UTC day. */
  bucketMs: number
}

const LEAN: readonly Dimension[] = ['offer_id', 'affiliate_id', 'goal']

/** Smallest first: a report reads the first tier that has its dimensions and time grain. */
export const TIERS: readonly Tier[] = [
  { table: 'rollup_total_daily', dimensions: [], bucketMs: DAY_MS },
  { table: 'rollup_total', dimensions: [], bucketMs: HOUR_MS },
  { table: 'rollup_lean_daily', dimensions: LEAN, bucketMs: DAY_MS },
  { table: 'rollup_lean', dimensions: LEAN, bucketMs: HOUR_MS },
  { table: 'rollup_geo', dimensions: [...LEAN, 'country', 'device', 'source'], bucketMs: HOUR_MS },
  { table: 'rollup_full', dimensions: DIMENSIONS, bucketMs: HOUR_MS },
]

/**
 * The tier for a report: daily buckets only when every local day of the report is a UTC day
 * (`dailyFits`), since they cannot be split into the hours of another time zone.
 */
export function tierFor(needed: Iterable<Dimension>, dailyFits: boolean): Tier {
  const wanted = [...needed]
  const fits = (tier: Tier) =>
    (tier.bucketMs === HOUR_MS || dailyFits) && wanted.every((d) => tier.dimensions.includes(d))
  return TIERS.find(fits) ?? TIERS.at(-1)!
}
