import type { Counter, Dimension } from './rollup-tiers.ts'

/** A change to the counters of one moment and one combination of dimensions. */
export interface RollupDelta {
  /** When it happened, epoch ms; each tier floors it to its bucket. */
  at: number
  offerId: number
  affiliateId: number
  currency: string
  /** Text dimensions; absent or null values are stored as ''. */
  values: Partial<Record<Exclude<Dimension, 'offer_id' | 'affiliate_id'>, string | null>>
  counts: Partial<Record<Counter, number>>
}

export type ConversionState = 'approved' | 'pending' | 'rejected'

const STATE_COUNTER: Record<ConversionState, Counter> = {
  approved: 'conversions',
  pending: 'pending_conversions',
  rejected: 'rejected_conversions',
}

/**
 * The rollup change for a conversion entering `to` (from `from`, or new when null): its count
 * moves between the status counters, and its money counts only while it is approved, always in
 * the hour the conversion happened.
 */
export function conversionCounts(
  from: ConversionState | null,
  to: ConversionState,
  money: { revenue: number; payout: number },
): Partial<Record<Counter, number>> {
  const counts: Partial<Record<Counter, number>> = {}
  if (from === to) return counts
  counts[STATE_COUNTER[to]] = 1
  if (from !== null) counts[STATE_COUNTER[from]] = -1
  const sign = (to === 'approved' ? 1 : 0) - (from === 'approved' ? 1 : 0)
  if (sign !== 0) {
    counts.revenue = sign * money.revenue
    counts.payout = sign * money.payout
  }
  return counts
}
