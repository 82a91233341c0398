import type { Db } from '../db/database.ts'
import { insertRows, powerOfTwoChunks, type RowsInsert } from '../db/insert-rows.ts'
import type { RollupDelta } from './rollup-delta.ts'
import { COUNTERS, DIMENSIONS, type Dimension, HOUR_MS, TIERS, type Tier } from './rollup-tiers.ts'

/** Counts of one bucket and one key of a tier. */
interface Sum {
  bucket: number
  values: Partial<Record<Dimension, string | number>>
  currency: string
  /** In COUNTERS order. */
  counts: number[]
}

/**
 * Adds deltas to every rollup tier, in the caller's transaction so the rollups move together
 * with the clicks or conversions that cause them. Deltas are summed per key first, so a batch of
 * a thousand clicks on one offer is one upsert per tier; each tier is summed from the smallest
 * finer one already summed rather than from the deltas again.
 */
export async function applyRollups(db: Db, deltas: readonly RollupDelta[]): Promise<void> {
  if (deltas.length === 0) return
  const summed: Array<{ tier: Tier; sums: Sum[] }> = []
  // Widest first, so each narrower tier sums already summed rows. Every writer goes in this one
  // order, and in key order within a tier, so two on PostgreSQL cannot deadlock on rollup rows.
  for (const tier of [...TIERS].reverse()) {
    const finer = summed
      .filter(({ tier: from }) => refines(from, tier))
      .sort((a, b) => a.sums.length - b.sums.length)[0]
    const sums = finer ? regroup(finer.sums, tier) : regroup(deltas.map(toSum), tier)
    summed.push({ tier, sums })
    for (const chunk of powerOfTwoChunks(sums)) await upsert(db, tier, chunk)
  }
}

/** True when every bucket and key of `tier` is a sum of whole buckets and keys of `finer`. */
function refines(finer: Tier, tier: Tier): boolean {
  return (
    tier.bucketMs % finer.bucketMs === 0 &&
    tier.dimensions.every((dimension) => finer.dimensions.includes(dimension))
  )
}

function toSum(delta: RollupDelta): Sum {
  const values: Sum['values'] = { offer_id: delta.offerId, affiliate_id: delta.affiliateId }
  for (const dimension of DIMENSIONS) {
    if (dimension !== 'offer_id' && dimension !== 'affiliate_id') {
      values[dimension] = delta.values[dimension] ?? ''
    }
  }
  return {
    bucket: Math.floor(delta.at / HOUR_MS) * HOUR_MS,
    values,
    currency: delta.currency,
    counts: COUNTERS.map((counter) => delta.counts[counter] ?? 0),
  }
}

function regroup(sums: readonly Sum[], tier: Tier): Sum[] {
  const groups = new Map<string, Sum>()
  for (const sum of sums) {
    const bucket = Math.floor(sum.bucket / tier.bucketMs) * tier.bucketMs
    // Length-prefixed parts: no value, whatever characters it holds, can run into the next.
    let key = `${bucket}|${sum.currency.length}:${sum.currency}`
    for (const dimension of tier.dimensions) {
      const value = String(sum.values[dimension])
      key += `|${value.length}:${value}`
    }
    const group = groups.get(key)
    if (group) {
      for (let i = 0; i < group.counts.length; i++) group.counts[i]! += sum.counts[i]!
    } else {
      groups.set(key, {
        bucket,
        values: sum.values,
        currency: sum.currency,
        counts: [...sum.counts],
      })
    }
  }
  return [...groups.keys()].sort().map((key) => groups.get(key)!)
}

// One insert per tier, made once: the storage makes each statement text once per insert and row
// count, and the chunks of powers of two keep those to nine per tier, which SQLite's statement
// cache keeps prepared.
const upserts = new Map(
  TIERS.map((tier): [Tier, RowsInsert] => {
    const key = ['bucket', ...tier.dimensions, 'currency']
    return [
      tier,
      {
        table: tier.table,
        columns: [...key, ...COUNTERS],
        addOnConflict: { keys: key, columns: COUNTERS },
        // Chunks of powers of two: nine statement shapes per tier at most.
        prepare: true,
      },
    ]
  }),
)

async function upsert(db: Db, tier: Tier, sums: Sum[]): Promise<void> {
  const rows = sums.map((sum) => [
    sum.bucket,
    ...tier.dimensions.map((dimension) => sum.values[dimension]!),
    sum.currency,
    ...sum.counts,
  ])
  await insertRows(db, upserts.get(tier)!, rows)
}
