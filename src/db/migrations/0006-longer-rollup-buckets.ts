import type { Ddl } from '../ddl.ts'

// Spelled out here rather than imported, so this migration never changes after release.
const KEY = ['offer_id', 'affiliate_id', 'goal', 'currency']
const COUNTERS = [
  'clicks',
  'unique_clicks',
  'conversions',
  'pending_conversions',
  'rejected_conversions',
  'revenue',
  'payout',
]
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

/**
 * The lean rollup (offer × affiliate × goal) in 4-hour, 4-day and 16-day buckets too, so a
 * month is a few buckets per key (see docs/decisions.md, "Reports and live feed"). Each is filled
 * from the hourly rows, which hold every count since the start, so it is exact from the first
 * report. Rows go in in bucket order, as live traffic adds them, so a range of buckets is a few
 * neighbouring pages on PostgreSQL too. (Not yet released when `order by` and `analyze` were
 * added.)
 */
export function longerRollupBucketsMigration(t: Ddl): string[] {
  const tiers: Array<[string, number]> = [
    ['rollup_lean_4h', 4 * HOUR_MS],
    ['rollup_lean_4d', 4 * DAY_MS],
    ['rollup_lean_16d', 16 * DAY_MS],
  ]
  return tiers.flatMap(([table, bucketMs]) => [
    `create table ${table} (
      bucket ${t.bigint} not null,
      offer_id ${t.bigint} not null,
      affiliate_id ${t.bigint} not null,
      goal text not null,
      currency text not null,
      ${COUNTERS.map((c) => `${c} ${t.bigint} not null default 0`).join(',\n      ')}
    )`,
    `create unique index ${table}_key on ${table} (bucket, ${KEY.join(', ')})`,
    `insert into ${table} (bucket, ${KEY.join(', ')}, ${COUNTERS.join(', ')})
      select (bucket / ${bucketMs}) * ${bucketMs}, ${KEY.join(', ')},
        ${COUNTERS.map((c) => `sum(${c})`).join(', ')}
      from rollup_lean
      group by (bucket / ${bucketMs}) * ${bucketMs}, ${KEY.join(', ')}
      order by (bucket / ${bucketMs}) * ${bucketMs}, ${KEY.join(', ')}`,
    // Planner statistics now, not whenever autovacuum gets to a table that was filled at once:
    // without them PostgreSQL guesses row counts for reports' range conditions.
    `analyze ${table}`,
  ])
}
