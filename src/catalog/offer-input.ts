import type { OfferStatus, PayoutType, RateType } from '../db/schema.ts'
import type { OfferVisibility } from '../db/tables/offer-access.ts'
import { AppError } from '../http/errors.ts'
import { CLICK_MACROS } from '../shared/macro-names.ts'
import { unknownMacros } from '../shared/macros.ts'
import { currencyDigits } from '../shared/money.ts'
import { isHttpUrlTemplate, macrosOnlyAfterHost } from '../shared/urls.ts'
import type { FraudRulesInput } from './fraud-rules-schema.ts'
import { type Cap, type CapInput, normalizeCaps } from './offer-caps.ts'
import { checkOfferTimeZone, normalizeTargeting, type Targeting } from './offer-targeting.ts'
import { parseRate } from './rates.ts'

export interface GoalInput {
  key: string
  name?: string
  revenue: number | string
  payout: number | string
  revenue_type?: RateType
  payout_type?: PayoutType
  allow_multiple?: boolean
}

export interface OfferInput {
  advertiser_id: string
  name: string
  destination_url: string
  fallback_url?: string | null
  status?: OfferStatus
  currency?: string
  revenue: number | string
  payout: number | string
  revenue_type?: RateType
  payout_type?: PayoutType
  conversion_window_days?: number
  visibility?: OfferVisibility
  goals?: GoalInput[]
  time_zone?: string
  targeting?: Targeting | null
  caps?: CapInput[] | null
  fraud?: FraudRulesInput | null
}

export interface NormalizedGoal {
  key: string
  name: string
  revenue: number
  revenue_type: RateType
  payout: number
  payout_type: PayoutType
  allow_multiple: number
}

export interface NormalizedOffer {
  name: string
  destination_url: string
  fallback_url: string | null
  status: OfferStatus
  currency: string
  revenue: number
  revenue_type: RateType
  payout: number
  payout_type: PayoutType
  conversion_window_days: number
  visibility: OfferVisibility
  time_zone: string
  /** JSON, or null for no targeting. */
  targeting: string | null
  /** JSON of `Cap[]`, or null for none. */
  caps: string | null
  goals: NormalizedGoal[]
  /** JSON of the fraud rules this offer overrides, or null for the network's defaults. */
  fraud: string | null
}

/** Checks an offer as a whole (create, or current values merged with a patch) and converts money. */
export function normalizeOffer(input: OfferInput): NormalizedOffer {
  const currency = input.currency ?? 'USD'
  const digits = currencyDigits(currency)
  if (digits === undefined) {
    throw new AppError('unknown_currency', `currency "${currency}" is not an ISO 4217 code`)
  }
  checkUrl(input.destination_url, 'destination_url')
  if (input.fallback_url != null) checkUrl(input.fallback_url, 'fallback_url')
  const revenueType = input.revenue_type ?? 'fixed'
  const payoutType = input.payout_type ?? 'fixed'
  const timeZone = input.time_zone ?? 'UTC'
  checkOfferTimeZone(timeZone)
  const targeting = normalizeTargeting(input.targeting)
  const caps: Cap[] = normalizeCaps(input.caps, digits)
  return {
    name: input.name,
    destination_url: input.destination_url,
    fallback_url: input.fallback_url ?? null,
    status: input.status ?? 'active',
    currency,
    revenue: parseRate(input.revenue, revenueType, digits, 'revenue'),
    revenue_type: revenueType,
    payout: parseRate(input.payout, payoutType, digits, 'payout'),
    payout_type: payoutType,
    conversion_window_days: input.conversion_window_days ?? 30,
    visibility: input.visibility ?? 'public',
    time_zone: timeZone,
    targeting: targeting === null ? null : JSON.stringify(targeting),
    caps: caps.length === 0 ? null : JSON.stringify(caps),
    goals: normalizeGoals(input.goals ?? [], digits),
    fraud: input.fraud && Object.keys(input.fraud).length > 0 ? JSON.stringify(input.fraud) : null,
  }
}

function normalizeGoals(goals: GoalInput[], digits: number): NormalizedGoal[] {
  const seen = new Set<string>()
  return goals.map((goal, index) => {
    if (goal.key === 'default') {
      throw new AppError(
        'duplicate_goal',
        'goal key "default" is the offer itself; use the offer fields',
      )
    }
    if (seen.has(goal.key))
      throw new AppError('duplicate_goal', `goal key "${goal.key}" appears twice`)
    seen.add(goal.key)
    const revenueType = goal.revenue_type ?? 'fixed'
    const payoutType = goal.payout_type ?? 'fixed'
    return {
      key: goal.key,
      name: goal.name ?? goal.key,
      revenue: parseRate(goal.revenue, revenueType, digits, `goals.${index}.revenue`),
      revenue_type: revenueType,
      payout: parseRate(goal.payout, payoutType, digits, `goals.${index}.payout`),
      payout_type: payoutType,
      allow_multiple: goal.allow_multiple ? 1 : 0,
    }
  })
}

function checkUrl(template: string, field: string): void {
  if (!isHttpUrlTemplate(template)) {
    throw new AppError('invalid_url', `${field} must be an absolute http(s) URL`, [
      { field, message: 'is not an absolute http(s) URL' },
    ])
  }
  // A macro in the host would let any visitor pick where the tracking link redirects.
  if (!macrosOnlyAfterHost(template)) {
    throw new AppError(
      'invalid_url',
      `${field} may use macros only in its path, query and fragment, not in its host`,
      [{ field, message: 'has a macro before the path (in the scheme, userinfo, host or port)' }],
    )
  }
  const unknown = unknownMacros(template, CLICK_MACROS)
  if (unknown.length > 0) {
    throw new AppError(
      'unknown_macro',
      `${field} uses unknown macros: ${unknown.map((m) => `{${m}}`).join(', ')}`,
      [{ field, message: `unknown macros: ${unknown.join(', ')}` }],
    )
  }
}
