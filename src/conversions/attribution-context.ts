import { parseStoredCaps, parseStoredFraud, type StoredCap } from '../catalog/index.ts'
import { reusableQuery } from '../db/reusable-query.ts'
import type { RateType } from '../db/schema.ts'
import { AppError } from '../http/errors.ts'
import type { FraudRules } from './fraud-rules.ts'

/** What a postback needs to know about the offer its click id names, and that offer's advertiser. */
export interface OfferContext {
  offerId: number
  advertiserId: number
  currency: string
  conversionWindowDays: number
  postbackToken: string
  /** Normalised CIDRs; empty means any source address. */
  allowlist: string[]
  /** The fraud rules the offer overrides; null when it overrides none. */
  fraud: FraudRules | null
  caps: StoredCap[]
  timeZone: string
}

/** The rates of one goal; the offer itself is the goal `default`, which converts once per click. */
export interface GoalRates {
  key: string
  revenue: number
  revenueType: RateType
  payout: number
  payoutType: RateType
  allowMultiple: boolean
}

export interface PostbackContext {
  offer: OfferContext
  /** Undefined when the offer has no goal of the key asked for. */
  goal: GoalRates | undefined
}

// One read for everything a postback checks: the offer, its advertiser, and the goal asked for.
const readContext = reusableQuery(2, (db, offerId: number, goalKey: string) =>
  db
    .selectFrom('offers')
    .innerJoin('advertisers', 'advertisers.id', 'offers.advertiser_id')
    .leftJoin('offer_goals', (join) =>
      join.onRef('offer_goals.offer_id', '=', 'offers.id').on('offer_goals.key', '=', goalKey),
    )
    .select([
      'offers.advertiser_id',
      'offers.currency',
      'offers.conversion_window_days',
      'offers.revenue',
      'offers.revenue_type',
      'offers.payout',
      'offers.payout_type',
      'offers.fraud',
      'offers.caps',
      'offers.time_zone',
      'advertisers.postback_token',
      'advertisers.postback_ip_allowlist',
      'offer_goals.id as goal_id',
      'offer_goals.revenue as goal_revenue',
      'offer_goals.revenue_type as goal_revenue_type',
      'offer_goals.payout as goal_payout',
      'offer_goals.payout_type as goal_payout_type',
      'offer_goals.allow_multiple as goal_allow_multiple',
    ])
    .where('offers.id', '=', offerId),
)

/**
 * The offer (and advertiser) behind a genuine click id, with the rates of `goalKey` (`default`:
 * the offer's own). 404 `unknown_click` when the offer is gone.
 */
export async function loadPostbackContext(
  db: Parameters<typeof readContext>[0],
  offerId: number,
  goalKey: string,
): Promise<PostbackContext> {
  const [row] = await readContext(db, offerId, goalKey)
  if (!row)
    throw new AppError('unknown_click', `the offer of this click (${offerId}) does not exist`)
  const offer: OfferContext = {
    offerId,
    advertiserId: row.advertiser_id,
    currency: row.currency,
    conversionWindowDays: row.conversion_window_days,
    postbackToken: row.postback_token,
    allowlist: JSON.parse(row.postback_ip_allowlist) as string[],
    fraud: parseStoredFraud(row.fraud),
    caps: parseStoredCaps(row.caps),
    timeZone: row.time_zone,
  }
  if (goalKey === 'default') {
    const rates = {
      revenue: row.revenue,
      revenueType: row.revenue_type,
      payout: row.payout,
      payoutType: row.payout_type,
    }
    return { offer, goal: { key: goalKey, ...rates, allowMultiple: false } }
  }
  if (row.goal_id === null) return { offer, goal: undefined }
  const goal: GoalRates = {
    key: goalKey,
    revenue: row.goal_revenue!,
    revenueType: row.goal_revenue_type!,
    payout: row.goal_payout!,
    payoutType: row.goal_payout_type!,
    allowMultiple: row.goal_allow_multiple === 1,
  }
  return { offer, goal }
}

/** The goal a postback named, or 400 `unknown_goal`. */
export function requireGoal(context: PostbackContext, key: string): GoalRates {
  if (!context.goal) {
    throw new AppError('unknown_goal', `offer ${context.offer.offerId} has no goal "${key}"`)
  }
  return context.goal
}
