import { type Static, Type } from 'typebox'
import { AppError } from '../http/errors.ts'
import { Decimal } from '../http/schemas.ts'
import { formatId, parseId } from '../shared/ids.ts'
import { formatDecimal, parseDecimal } from '../shared/money.ts'

export const CapMetric = Type.Union([
  Type.Literal('conversions'),
  Type.Literal('payout'),
  Type.Literal('clicks'),
])
export const CapPeriod = Type.Union([
  Type.Literal('day'),
  Type.Literal('week'),
  Type.Literal('month'),
  Type.Literal('total'),
])

/** One cap as the API takes it (contract: "Targeting, caps and fraud rules"). */
export const CapBody = Type.Object({
  metric: CapMetric,
  period: CapPeriod,
  limit: Decimal,
  affiliate_id: Type.Optional(
    Type.Union([Type.String(), Type.Null()], {
      description: 'the cap applies to this affiliate alone; null or absent: to the whole offer',
    }),
  ),
})
export const CapsBody = Type.Array(CapBody, { maxItems: 50 })

export const Cap = Type.Object({
  metric: CapMetric,
  period: CapPeriod,
  limit: Type.Number({ description: 'a count, or for `payout` an amount in the offer currency' }),
  affiliate_id: Type.Union([Type.String(), Type.Null()]),
})

export type CapInput = Static<typeof CapBody>
export type CapView = Static<typeof Cap>
export type CapMetricName = Static<typeof CapMetric>
export type CapPeriodName = Static<typeof CapPeriod>

/** A cap as stored in `offers.caps`: `limit` a count, or payout in minor units. */
export interface StoredCap {
  metric: CapMetricName
  period: CapPeriodName
  limit: number
  affiliate_id: number | null
}

/** Checks caps and converts a payout limit to minor units of the offer's currency. */
export function normalizeCaps(caps: readonly CapInput[], digits: number): StoredCap[] {
  return caps.map((cap, index) => {
    const field = `caps.${index}.limit`
    let limit: number
    try {
      limit = parseDecimal(cap.limit, cap.metric === 'payout' ? digits : 0)
    } catch (error) {
      throw new AppError('validation_failed', `${field} is not a valid limit`, [
        { field, message: error instanceof Error ? error.message : 'invalid' },
      ])
    }
    let affiliateId: number | null = null
    if (cap.affiliate_id != null) {
      const id = parseId(cap.affiliate_id)
      if (id === undefined) {
        throw new AppError('validation_failed', `caps.${index}.affiliate_id is not an id`, [
          { field: `caps.${index}.affiliate_id`, message: 'is not an id' },
        ])
      }
      affiliateId = id
    }
    return { metric: cap.metric, period: cap.period, limit, affiliate_id: affiliateId }
  })
}

/** Caps as the API shows them. */
export function presentCaps(caps: readonly StoredCap[], digits: number): CapView[] {
  return caps.map((cap) => ({
    metric: cap.metric,
    period: cap.period,
    limit: cap.metric === 'payout' ? formatDecimal(cap.limit, digits) : cap.limit,
    affiliate_id: cap.affiliate_id === null ? null : formatId(cap.affiliate_id),
  }))
}

/** The caps stored on an offer row (JSON text; empty when none). */
export function parseStoredCaps(text: string | null): StoredCap[] {
  return text ? (JSON.parse(text) as StoredCap[]) : []
}
