import type { Ddl } from '../ddl.ts'

// Every rollup table of 0005 and 0006, as they were named then.
const ROLLUP_TABLES = [
  'rollup_total_daily',
  'rollup_total',
  'rollup_lean',
  'rollup_lean_4h',
  'rollup_lean_daily',
  'rollup_lean_4d',
  'rollup_lean_16d',
  'rollup_geo',
  'rollup_full',
]

/**
 * Fraud rules and conversion caps: an offer's rule overrides (its `caps` and `time_zone` come
 * from 0012, which conversion caps share with click caps); each
 * conversion's flags; and the counters that make caps and velocity rules exact under
 * concurrency (one row per key and window, incremented in the conversion's transaction).
 */
export function fraudRulesAndCapsMigration(t: Ddl): string[] {
  return [
    `alter table offers add column fraud text`,
    `alter table conversions add column flags text`,
    `create table conversion_counters (
      key text not null,
      window_start ${t.bigint} not null,
      used ${t.bigint} not null,
      expires_at ${t.bigint},
      primary key (key, window_start)
    )`,
    `create index conversion_counters_expiry on conversion_counters (expires_at)`,
    ...ROLLUP_TABLES.flatMap((table) => [
      `alter table ${table} add column held_conversions ${t.bigint} not null default 0`,
      `alter table ${table} add column flagged_conversions ${t.bigint} not null default 0`,
    ]),
  ]
}
