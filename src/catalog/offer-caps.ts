import { Type } from 'typebox'
import { AppError } from '../http/errors.ts'
import { Decimal } from '../http/schemas.ts'
import { DecimalError, formatDecimal, parseDecimal } from '../shared/money.ts'

export const CAP_METRICS = ['conversions', 'payout', 'clicks'] as const
export const CAP_PERIODS = ['day', 'week', 'month', 'total'] as const
export type CapMetric = (typeof CAP_METRICS)[number]
export type CapPeriod = (typeof CAP_PERIODS)[number]

/** One entry of the offer's `caps` body field, as the API takes it. */
export const CapSchema = Type.Object({
  metric: Type.Enum(CAP_METRICS),
  period: Type.Enum(CAP_PERIODS, {
    description: "in the offer's time_zone; a week starts on Monday; total never resets",
  }),
  limit: Decimal,
  affiliate_id: Type.Optional(
    Type.Union([Type.String(), Type.Null()], {
      description: "null (default): the offer's traffic from every affiliate together",
    }),
  ),
})

export const CapsSchema = Type.Array(CapSchema, { maxItems: 100 })

/** A cap as the API shows it: `limit` a count, or for `payout` an amount in the offer currency. */
export const CapViewSchema = Type.Object({
  ...CapSchema.properties,
  limit: Type.Number({ description: 'a count, or for `payout` an amount in the offer currency' }),
  affiliate_id: Type.Union([Type.String(), Type.Null()]),
})

export interface CapInput {
  metric: CapMetric
  period: CapPeriod
  limit: number | string
  affiliate_id?: string | null
}

/**
 * A cap as stored in `offers.caps` (JSON): `limit` in whole clicks or conversions, or minor units
 * of the offer's currency. Click caps are enforced on the tracking link (src/clicks), conversion
 * and payout caps when a postback is recorded (src/conversions).
 */
export interface Cap {
  metric: CapMetric
  period: CapPeriod
  limit: number
  affiliateId: number | null
}

/** A cap as the API shows it. */
export interface CapView {
  metric: CapMetric
  period: CapPeriod
  limit: number
  affiliate_id: string | null
}

/**
 * Checks caps and converts payout limits to minor units of the offer's currency (`digits`).
 * Counts are whole numbers of at least 1; the same metric, period and affiliate twice is refused.
 */
export function normalizeCaps(caps: readonly CapInput[] | null | undefined, digits: number): Cap[] {
  const seen = new Set<string>()
  return (caps ?? []).map((cap, index) => {
    const field = `caps.${index}`
    const affiliateId = cap.affiliate_id == null ? null : Number(cap.affiliate_id)
    if (affiliateId !== null && !(Number.isSafeInteger(affiliateId) && affiliateId > 0)) {
      fail(`${field}.affiliate_id`, 'is not an affiliate id')
    }
    const key = `${cap.metric} ${cap.period} ${affiliateId}`
    if (seen.has(key)) fail(field, 'repeats the metric, period and affiliate of another cap')
    seen.add(key)
    let limit: number
    try {
      limit = parseDecimal(cap.limit, cap.metric === 'payout' ? digits : 0)
    } catch (error) {
      if (!(error instanceof DecimalError)) throw error
      const what = cap.metric === 'payout' ? 'an amount of the offer currency' : 'a whole number'
      fail(`${field}.limit`, `must be ${what}`)
    }
    if (limit < 1) fail(`${field}.limit`, 'must be more than 0')
    return { metric: cap.metric, period: cap.period, limit, affiliateId }
  })
}

export function presentCaps(caps: readonly Cap[], digits: number): CapView[] {
  return caps.map((cap) => ({
    metric: cap.metric,
    period: cap.period,
    limit: cap.metric === 'payout' ? formatDecimal(cap.limit, digits) : cap.limit,
    affiliate_id: cap.affiliateId === null ? null : String(cap.affiliateId),
  }))
}

/** The stored caps of an offer row (`offers.caps`, JSON), empty when none. */
export function parseStoredCaps(json: string | null): Cap[] {
  return json === null ? [] : (JSON.parse(json) as Cap[])
}

function fail(field: string, message: string): never {
  throw new AppError('validation_failed', `${field} ${message}`, [{ field, message }])
}
