import type { Db } from '../db/database.ts'
import { rowsInserter } from '../db/insert-rows.ts'
import type { RollupDelta } from './rollup-delta.ts'
import { COUNTERS, type Counter, TIERS, type Tier } from './rollup-tiers.ts'

const ROWS_PER_STATEMENT = 200

/**
 * Adds deltas to every rollup tier, in the caller's transaction so the rollups move together
 * with the clicks or conversions that cause them. Deltas are summed per key first, so a batch of
 * a thousand clicks on one offer is one upsert per tier.
 */
export async function applyRollups(db: Db, deltas: readonly RollupDelta[]): Promise<void> {
  if (deltas.length === 0) return
  for (const tier of TIERS) {
    const rows = [...sumByKey(tier, deltas).values()]
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      await upsert(db, tier, rows.slice(i, i + ROWS_PER_STATEMENT))
    }
  }
}

type Row = Record<string, string | number>

function sumByKey(tier: Tier, deltas: readonly RollupDelta[]): Map<string, Row> {
  const rows = new Map<string, Row>()
  for (const delta of deltas) {
    const row: Row = {
      bucket: Math.floor(delta.at / tier.bucketMs) * tier.bucketMs,
      currency: delta.currency,
    }
    for (const dimension of tier.dimensions) {
      if (dimension === 'offer_id') row.offer_id = delta.offerId
      else if (dimension === 'affiliate_id') row.affiliate_id = delta.affiliateId
      else row[dimension] = delta.values[dimension] ?? ''
    }
    const key = JSON.stringify(row)
    const existing = rows.get(key)
    const target = existing ?? { ...row, ...zeroCounters() }
    for (const counter of COUNTERS) {
      target[counter] = (target[counter] as number) + (delta.counts[counter] ?? 0)
    }
    if (!existing) rows.set(key, target)
  }
  return rows
}

function zeroCounters(): Record<Counter, number> {
  return Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<Counter, number>
}

// SQL made once per tier and row count: kysely building a 50-row upsert cost more than running it.
const upserters = new Map(TIERS.map((tier) => [tier.table, tierUpserter(tier)]))

function tierUpserter(tier: Tier) {
  const keys = ['bucket', ...tier.dimensions, 'currency']
  const columns = [...keys, ...COUNTERS]
  const insert = rowsInserter({
    table: tier.table,
    columns,
    addOnConflict: { keys, columns: COUNTERS },
  })
  return (db: Db, rows: Row[]) =>
    insert(
      db,
      rows.map((row) => columns.map((column) => row[column])),
    )
}

async function upsert(db: Db, tier: Tier, rows: Row[]): Promise<void> {
  await upserters.get(tier.table)!(db, rows)
}
