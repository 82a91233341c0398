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

/**
 * PostgreSQL: room on every rollup page for the new versions of its rows. Every click and
 * conversion batch updates the counters of the current buckets; with the default full pages each
 * update moved its row to whichever page had space, which scattered a bucket's rows over the
 * table, and a report over a range of buckets read many pages for few rows. With 30% free space
 * an update stays on its page (a HOT update, which also skips the key index), so rows stay in
 * the order their buckets began. Takes effect for pages written from now on. SQLite: nothing.
 */
export function rollupFillfactorMigration(t: Ddl): string[] {
  if (t.engine !== 'postgres') return []
  return ROLLUP_TABLES.map((table) => `alter table ${table} set (fillfactor = 70)`)
}
