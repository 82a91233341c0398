import type { Ddl } from '../ddl.ts'

// Spelled out here rather than imported, so this migration never changes after release.
const LEAN = ['offer_id', 'affiliate_id', 'goal']
const GEO = [...LEAN, 'country', 'device', 'source']
const FULL = [...GEO, 'sub1', 'sub2', 'sub3', 'sub4', 'sub5']

/** Rollups (see src/reports/rollup-tiers.ts) and the live feed's log. */
export function reportsMigration(t: Ddl): string[] {
  return [...rollupTables(t), ...liveEvents(t)]
}

function liveEvents(t: Ddl): string[] {
  return [
    `create table live_events (
      id ${t.id},
      kind text not null,
      affiliate_id ${t.bigint} not null,
      payload text not null,
      created_at ${t.bigint} not null
    )`,
    `create index live_events_time on live_events (created_at)`,
    `create index live_events_affiliate on live_events (affiliate_id, id)`,
  ]
}

function rollupTables(t: Ddl): string[] {
  const tiers: Array<[string, string[]]> = [
    ['rollup_total_daily', []],
    ['rollup_total', []],
    ['rollup_lean', LEAN],
    ['rollup_lean_daily', LEAN],
    ['rollup_geo', GEO],
    ['rollup_full', FULL],
  ]
  return tiers.flatMap(([table, dimensions]) => {
    const columns = dimensions.map((d) =>
      d.endsWith('_id') ? `${d} ${t.bigint} not null` : `${d} text not null`,
    )
    const counters = [
      'clicks',
      'unique_clicks',
      'conversions',
      'pending_conversions',
      'rejected_conversions',
      'revenue',
      'payout',
    ].map((c) => `${c} ${t.bigint} not null default 0`)
    return [
      `create table ${table} (bucket ${t.bigint} not null, ${[...columns, 'currency text not null', ...counters].join(', ')})`,
      `create unique index ${table}_key on ${table} (${['bucket', ...dimensions, 'currency'].join(', ')})`,
    ]
  })
}
