import { percentOf } from '../shared/money.ts'
import type { GoalRates } from './attribution-context.ts'

/**
 * Revenue and payout of one conversion in minor units: a fixed rate as it is, a percent rate
 * applied to the sale amount (no amount pays 0, as in TUNE/HasOffers).
 */
export function conversionMoney(
  goal: GoalRates,
  amount: number | null,
): { revenue: number; payout: number } {
  const apply = (rate: number, type: GoalRates['revenueType']) =>
    type === 'percent' ? percentOf(amount ?? 0, rate) : rate
  return {
    revenue: apply(goal.revenue, goal.revenueType),
    payout: apply(goal.payout, goal.payoutType),
  }
}
