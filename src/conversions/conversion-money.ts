import { AppError } from '../http/errors.ts'
import { percentOf } from '../shared/money.ts'
import type { GoalRates } from './attribution-context.ts'
import type { ConversionRequest } from './postback-input.ts'

/** A money parameter a call sent that its goal does not use: answered and logged, never dropped. */
export interface PostbackWarning {
  code: 'unused_amount' | 'unused_revenue'
  parameter: 'amount' | 'revenue'
  message: string
}

type Money = Pick<ConversionRequest, 'amount' | 'reportedRevenue'>

/**
 * Revenue and payout of one conversion in minor units: a fixed rate as it is; `reported` revenue
 * as the advertiser sent it; a percent revenue of the sale amount; a percent payout of the
 * reported revenue when the revenue is reported, else of the sale amount (no amount pays 0, as
 * in TUNE/HasOffers).
 */
export function conversionMoney(
  goal: GoalRates,
  money: Money,
): { revenue: number; payout: number } {
  const revenue =
    goal.revenueType === 'reported'
      ? (money.reportedRevenue ?? 0)
      : goal.revenueType === 'percent'
        ? percentOf(money.amount ?? 0, goal.revenue)
        : goal.revenue
  const base = goal.revenueType === 'reported' ? revenue : (money.amount ?? 0)
  const payout = goal.payoutType === 'percent' ? percentOf(base, goal.payout) : goal.payout
  return { revenue, payout }
}

/**
 * Checks the money a call sent against what its goal uses: a `reported` goal without a revenue
 * is 400 `missing_revenue`; an amount or revenue the goal does not use is a warning (a revenue is
 * stored as `reported_revenue` all the same, so a discrepancy shows).
 */
export function checkMoneyParams(goal: GoalRates, money: Money): PostbackWarning[] {
  const reported = goal.revenueType === 'reported'
  if (reported && money.reportedRevenue === null) {
    throw new AppError(
      'missing_revenue',
      `goal "${goal.key}" takes its revenue from the postback: send revenue (or payout)`,
      [{ field: 'revenue', message: 'is required: the revenue type is reported' }],
    )
  }
  const warnings: PostbackWarning[] = []
  const usesAmount = goal.revenueType === 'percent' || (!reported && goal.payoutType === 'percent')
  if (money.amount !== null && !usesAmount) {
    warnings.push({
      code: 'unused_amount',
      parameter: 'amount',
      message: `amount was not used: goal "${goal.key}" has no percent revenue or payout of the sale amount`,
    })
  }
  if (money.reportedRevenue !== null && !reported) {
    warnings.push({
      code: 'unused_revenue',
      parameter: 'revenue',
      message: `revenue was stored as reported_revenue but not used: goal "${goal.key}" has ${goal.revenueType} revenue`,
    })
  }
  return warnings
}
