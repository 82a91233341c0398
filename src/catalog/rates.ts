import type { RateType } from '../db/schema.ts'
import { AppError } from '../http/errors.ts'
import {
  DecimalError,
  formatDecimal,
  PERCENT_DECIMALS,
  parseDecimal,
  parsePercent,
} from '../shared/money.ts'

/** A revenue or payout figure as given: fixed money in the offer's currency, or a percent of the sale. */
export function parseRate(value: unknown, type: RateType, digits: number, field: string): number {
  try {
    const rate = type === 'percent' ? parsePercent(value) : parseDecimal(value, digits)
    // A reported revenue comes with each postback; a rate beside it would read as if it counted.
    if (type === 'reported' && rate !== 0) {
      throw new AppError('validation_failed', `${field} must be 0 when its type is reported`, [
        { field, message: 'must be 0: the postback reports the revenue' },
      ])
    }
    return rate
  } catch (error) {
    if (!(error instanceof DecimalError)) throw error
    throw new AppError('invalid_amount', `${field} ${error.message}`, [
      { field, message: error.message },
    ])
  }
}

/** The stored integer back to the decimal the API shows. */
export function formatRate(stored: number, type: RateType, digits: number): number {
  return formatDecimal(stored, type === 'percent' ? PERCENT_DECIMALS : digits)
}
