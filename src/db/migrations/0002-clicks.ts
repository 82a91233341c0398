import type { Ddl } from '../ddl.ts'

/** One row per tracking-link click, keyed by its self-describing click id. */
export function clicksMigration(t: Ddl): string[] {
  return [
    `create table clicks (
      click_id text primary key,
      offer_id ${t.bigint} not null,
      affiliate_id ${t.bigint} not null,
      sub1 text,
      sub2 text,
      sub3 text,
      sub4 text,
      sub5 text,
      source text,
      ip text not null,
      user_agent text,
      referrer text,
      country text,
      device_type text,
      os text,
      browser text,
      is_bot integer not null,
      is_unique integer not null,
      created_at ${t.bigint} not null
    )`,
    // The unique flag looks for an earlier click of the same visitor on the same offer.
    `create index clicks_visitor on clicks (offer_id, ip, created_at)`,
    // Retention deletes by age.
    `create index clicks_time on clicks (created_at)`,
  ]
}
