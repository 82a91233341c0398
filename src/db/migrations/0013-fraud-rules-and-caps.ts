import type { Ddl } from '../ddl.ts'

/**
 * Fraud rules and conversion caps: an offer's rule overrides, caps and time zone; each
 * conversion's flags; and the counters that make caps and velocity rules exact under
 * concurrency (one row per key and window, incremented in the conversion's transaction).
 */
export function fraudRulesAndCapsMigration(t: Ddl): string[] {
  return [
    `alter table offers add column fraud text`,
    `alter table offers add column caps text`,
    `alter table offers add column time_zone text not null default 'UTC'`,
    `alter table conversions add column flags text`,
    `create table conversion_counters (
      key text not null,
      window_start ${t.bigint} not null,
      used ${t.bigint} not null,
      expires_at ${t.bigint},
      primary key (key, window_start)
    )`,
    `create index conversion_counters_expiry on conversion_counters (expires_at)`,
  ]
}
