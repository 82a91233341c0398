import type { Ddl } from '../ddl.ts'

// Spelled out here rather than imported, so this migration never changes after release.
const ROLLUP_TABLES = [
  'rollup_total',
  'rollup_total_daily',
  'rollup_lean',
  'rollup_lean_4h',
  'rollup_lean_daily',
  'rollup_lean_4d',
  'rollup_lean_16d',
  'rollup_geo',
  'rollup_full',
]
const FULL_KEY = [
  'bucket',
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
  'currency',
]

/**
 * Targeting and click caps on offers (JSON, checked by the API), blocked clicks stored with their
 * reason, the blocklist, and rollups that count blocked clicks apart: a `blocked_clicks` counter
 * everywhere, and `is_bot` and `blocked_reason` as dimensions of the widest family.
 */
export function targetingBlocklistsMigration(t: Ddl): string[] {
  return [
    `alter table offers add column time_zone text not null default 'UTC'`,
    `alter table offers add column targeting text`,
    `alter table offers add column caps text`,
    `alter table clicks add column blocked_reason text`,
    `create table blocklist (
      id ${t.id},
      type text not null,
      value text not null,
      offer_id ${t.bigint} references offers (id),
      created_at ${t.bigint} not null
    )`,
    `create unique index blocklist_entry on blocklist (type, value, coalesce(offer_id, 0))`,
    `create index blocklist_offer on blocklist (offer_id)`,
    ...ROLLUP_TABLES.map(
      (table) => `alter table ${table} add column blocked_clicks ${t.bigint} not null default 0`,
    ),
    `alter table rollup_full add column is_bot text not null default ''`,
    `alter table rollup_full add column blocked_reason text not null default ''`,
    `drop index rollup_full_key`,
    `create unique index rollup_full_key on rollup_full (${FULL_KEY.join(', ')})`,
  ]
}
