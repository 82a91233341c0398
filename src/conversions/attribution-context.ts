import { type Cap, parseStoredCaps, parseStoredFraud } from '../catalog/index.ts'
import { reusableQuery } from '../db/reusable-query.ts'
import type { RateType } from '../db/schema.ts'
import { AppError } from '../http/errors.ts'
import type { FraudRules } from './fraud-rules.ts'

/** The goal of a per-affiliate payout for every goal without its own (catalog/affiliate-payouts.ts). */
const EVERY_GOAL = '*'

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
  caps: Cap[]
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
  /** Affiliate id → its own payout for this goal, where a manager set one. */
  affiliatePayouts: ReadonlyMap<number, { payout: number; payoutType: RateType }>
}

// The per-affiliate rules of the goal itself and those for every goal (`*`, passed in: a
// reusable query takes no constants).
const readAffiliatePayouts = reusableQuery(
  3,
  (db, offerId: number, goalKey: string, everyGoal: string) =>
    db
      .selectFrom('offer_affiliate_payouts')
      .select(['affiliate_id', 'goal', 'payout', 'payout_type'])
      .where('offer_id', '=', offerId)
      .where((eb) => eb.or([eb('goal', '=', goalKey), eb('goal', '=', everyGoal)])),
)

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
  const [[row], rules] = await Promise.all([
    readContext(db, offerId, goalKey),
    readAffiliatePayouts(db, offerId, goalKey, EVERY_GOAL),
  ])
  if (!row)
    throw new AppError('unknown_click', `the offer of this click (${offerId}) does not exist`)
  const affiliatePayouts = new Map<number, { payout: number; payoutType: RateType }>()
  // A rule for the goal itself wins over the affiliate's rule for every goal.
  for (const rule of rules) {
    if (rule.goal === EVERY_GOAL && affiliatePayouts.has(rule.affiliate_id)) continue
    affiliatePayouts.set(rule.affiliate_id, { payout: rule.payout, payoutType: rule.payout_type })
  }
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
    return { offer, goal: { key: goalKey, ...rates, allowMultiple: false }, affiliatePayouts }
  }
  if (row.goal_id === null) return { offer, goal: undefined, affiliatePayouts }
  const goal: GoalRates = {
    key: goalKey,
    revenue: row.goal_revenue!,
    revenueType: row.goal_revenue_type!,
    payout: row.goal_payout!,
    payoutType: row.goal_payout_type!,
    allowMultiple: row.goal_allow_multiple === 1,
  }
  return { offer, goal, affiliatePayouts }
}

/**
 * The goal a postback named, or 400 `unknown_goal`, with the payout of the click's affiliate: its
 * own where a manager set one (docs/api.md, "Offer access"), else the goal's.
 */
export function requireGoal(context: PostbackContext, key: string, affiliateId: number): GoalRates {
  if (!context.goal) {
    throw new AppError('unknown_goal', `offer ${context.offer.offerId} has no goal "${key}"`)
  }
  const own = context.affiliatePayouts.get(affiliateId)
  return own ? { ...context.goal, ...own } : context.goal
}
