import type { Ddl } from '../ddl.ts'

/**
 * Tables that guard the public endpoints across processes: the Standard Webhooks ids already
 * seen (a replayed signed postback is a duplicate), and fixed-window counters of refusals per
 * source address (rate limits). Both are short-lived: rows older than their window are pruned.
 */
export function abuseGuardsMigration(t: Ddl): string[] {
  return [
    `create table webhook_ids (
      advertiser_id ${t.bigint} not null,
      webhook_id text not null,
      seen_at ${t.bigint} not null,
      conversion_id ${t.bigint},
      primary key (advertiser_id, webhook_id)
    )`,
    `create index webhook_ids_seen on webhook_ids (seen_at)`,
    `create table rate_limit_counters (
      bucket text not null,
      ip text not null,
      window_start ${t.bigint} not null,
      count integer not null,
      primary key (bucket, ip, window_start)
    )`,
    `create index rate_limit_counters_window on rate_limit_counters (window_start)`,
  ]
}
