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
    return type === 'percent' ? parsePercent(value) : parseDecimal(value, digits)
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
