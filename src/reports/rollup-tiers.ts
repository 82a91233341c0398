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
  // Only in the widest family: 'true'/'false' for clicks, '' for conversions.
  'is_bot',
  'blocked_reason',
] as const
export type Dimension = (typeof DIMENSIONS)[number]

export const COUNTERS = [
  'clicks',
  'unique_clicks',
  'conversions',
  'pending_conversions',
  'rejected_conversions',
  'held_conversions',
  'flagged_conversions',
  'revenue',
  'payout',
  'blocked_clicks',
] as const
export type Counter = (typeof COUNTERS)[number]

export type RollupTable =
  | 'rollup_total_daily'
  | 'rollup_total'
  | 'rollup_lean'
  | 'rollup_lean_4h'
  | 'rollup_lean_daily'
  | 'rollup_lean_4d'
  | 'rollup_lean_16d'
  | 'rollup_geo'
  | 'rollup_full'

export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000

export interface Tier {
  table: RollupTable
  /** Key columns besides `bucket` and `currency`. */
  dimensions: readonly Dimension[]
  /**
   * Bucket length, from an hour up; buckets are aligned to the epoch, so each length divides
   * the next of its family and a UTC day is whole buckets of every length below it.
   */
  bucketMs: number
}

// Tiers of one family share one array, which is how familyFor tells families apart.
const TOTAL: readonly Dimension[] = []
const LEAN: readonly Dimension[] = ['offer_id', 'affiliate_id', 'goal']

/**
 * Families of the same dimensions, smallest first, each at several bucket lengths. The lean
 * family (offer × affiliate × goal, what most reports group by) is kept at five lengths so a
 * range of any size is a few dozen buckets per key rather than one per hour or day.
 */
export const TIERS: readonly Tier[] = [
  { table: 'rollup_total', dimensions: TOTAL, bucketMs: HOUR_MS },
  { table: 'rollup_total_daily', dimensions: TOTAL, bucketMs: DAY_MS },
  { table: 'rollup_lean', dimensions: LEAN, bucketMs: HOUR_MS },
  { table: 'rollup_lean_4h', dimensions: LEAN, bucketMs: 4 * HOUR_MS },
  { table: 'rollup_lean_daily', dimensions: LEAN, bucketMs: DAY_MS },
  { table: 'rollup_lean_4d', dimensions: LEAN, bucketMs: 4 * DAY_MS },
  { table: 'rollup_lean_16d', dimensions: LEAN, bucketMs: 16 * DAY_MS },
  { table: 'rollup_geo', dimensions: [...LEAN, 'country', 'device', 'source'], bucketMs: HOUR_MS },
  { table: 'rollup_full', dimensions: DIMENSIONS, bucketMs: HOUR_MS },
]

/**
 * The smallest family that has every dimension a report groups or filters by, at all its bucket
 * lengths, shortest first (the first is always hourly).
 */
export function familyFor(needed: Iterable<Dimension>): Tier[] {
  const wanted = [...needed]
  const first =
    TIERS.find((tier) => wanted.every((d) => tier.dimensions.includes(d))) ?? TIERS.at(-1)!
  return TIERS.filter((tier) => tier.dimensions === first.dimensions)
}
