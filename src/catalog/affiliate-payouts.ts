import { recordChange } from '../access/index.ts'
import type { Db } from '../db/database.ts'
import type { PayoutType } from '../db/schema.ts'
import type { OfferAffiliatePayoutsTable } from '../db/tables/offer-access.ts'
import { AppError } from '../http/errors.ts'
import { formatId } from '../shared/ids.ts'
import { currencyDigits } from '../shared/money.ts'
import { bumpCatalogRevision } from './catalog-revision.ts'
import { formatRate, parseRate } from './rates.ts'

/** The stored goal of a rule for every goal without its own. */
export const EVERY_GOAL = '*'

type PayoutRow = Omit<OfferAffiliatePayoutsTable, 'id'> & { id: number; affiliate_name: string }

export interface AffiliatePayoutView {
  id: string
  offer_id: string
  affiliate_id: string
  affiliate_name: string
  /** A goal key (`default` is the offer itself), or null: every goal without its own rule. */
  goal: string | null
  payout: number
  payout_type: PayoutType
  created_at: string
  updated_at: string
}

export interface AffiliatePayoutInput {
  payout: number | string
  payout_type?: PayoutType
  goal?: string | null
}

/** A stored rate: minor units when fixed, ten-thousandths of a percent when percent. */
export interface PayoutRate {
  payout: number
  payoutType: PayoutType
}

/** Sets one affiliate's own payout on an offer (one goal, or every goal); it replaces any before. */
export async function setAffiliatePayout(
  db: Db,
  offerId: number,
  affiliateId: number,
  input: AffiliatePayoutInput,
): Promise<AffiliatePayoutView> {
  const goal = input.goal ?? EVERY_GOAL
  const view = await db.transaction().execute(async (tx) => {
    const offer = await requireOffer(tx, offerId)
    await requireAffiliate(tx, affiliateId)
    await requireGoal(tx, offerId, goal)
    const payoutType = input.payout_type ?? 'fixed'
    const payout = parseRate(input.payout, payoutType, digitsOf(offer.currency), 'payout')
    const before = await findRule(tx, offerId, affiliateId, goal, offer.currency)
    const now = Date.now()
    await tx
      .insertInto('offer_affiliate_payouts')
      .values({
        offer_id: offerId,
        affiliate_id: affiliateId,
        goal,
        payout,
        payout_type: payoutType,
        created_at: now,
        updated_at: now,
      })
      .onConflict((conflict) =>
        conflict
          .columns(['offer_id', 'affiliate_id', 'goal'])
          .doUpdateSet({ payout, payout_type: payoutType, updated_at: now }),
      )
      .execute()
    const after = (await findRule(tx, offerId, affiliateId, goal, offer.currency))!
    await recordChange(tx, {
      action: before ? 'update' : 'create',
      entity: 'affiliate_payout',
      entityId: after.id,
      before,
      after,
    })
    return after
  })
  bumpCatalogRevision()
  return view
}

/** The per-affiliate payouts of an offer, by affiliate then goal. */
export async function listAffiliatePayouts(
  db: Db,
  offerId: number,
  affiliateId?: number,
): Promise<AffiliatePayoutView[]> {
  const offer = await requireOffer(db, offerId)
  let select = selectRules(db).where('p.offer_id', '=', offerId)
  if (affiliateId !== undefined) select = select.where('p.affiliate_id', '=', affiliateId)
  const rows = await select.orderBy('p.affiliate_id').orderBy('p.goal').execute()
  return rows.map((row) => presentRule(row, offer.currency))
}

/** Removes one rule; the affiliate is paid the offer's (or its other rule's) payout again. */
export async function removeAffiliatePayout(
  db: Db,
  offerId: number,
  affiliateId: number,
  goal: string | undefined,
): Promise<void> {
  const key = goal ?? EVERY_GOAL
  await db.transaction().execute(async (tx) => {
    const offer = await requireOffer(tx, offerId)
    const before = await findRule(tx, offerId, affiliateId, key, offer.currency)
    if (!before) {
      throw new AppError('not_found', `affiliate ${affiliateId} has no own payout for this goal`)
    }
    await tx.deleteFrom('offer_affiliate_payouts').where('id', '=', Number(before.id)).execute()
    await recordChange(tx, {
      action: 'delete',
      entity: 'affiliate_payout',
      entityId: before.id,
      before,
    })
  })
  bumpCatalogRevision()
}

/** One affiliate's rules on the given offers: offer id → goal (or `*`) → rate. */
export async function payoutRulesOf(
  db: Db,
  affiliateId: number,
  offerIds: readonly number[],
): Promise<Map<number, Map<string, PayoutRate>>> {
  const rules = new Map<number, Map<string, PayoutRate>>()
  if (offerIds.length === 0) return rules
  const rows = await db
    .selectFrom('offer_affiliate_payouts')
    .select(['offer_id', 'goal', 'payout', 'payout_type'])
    .where('affiliate_id', '=', affiliateId)
    .where('offer_id', 'in', [...offerIds])
    .execute()
  for (const row of rows) {
    const goals = rules.get(row.offer_id) ?? new Map<string, PayoutRate>()
    goals.set(row.goal, { payout: row.payout, payoutType: row.payout_type })
    rules.set(row.offer_id, goals)
  }
  return rules
}

/** The rule that applies to `goal`: its own, else the one for every goal. */
export function ruleFor(
  rules: ReadonlyMap<string, PayoutRate> | undefined,
  goal: string,
): PayoutRate | undefined {
  return rules?.get(goal) ?? rules?.get(EVERY_GOAL)
}

function selectRules(db: Db) {
  return db
    .selectFrom('offer_affiliate_payouts as p')
    .innerJoin('affiliates as a', 'a.id', 'p.affiliate_id')
    .selectAll('p')
    .select('a.name as affiliate_name')
}

async function findRule(
  db: Db,
  offerId: number,
  affiliateId: number,
  goal: string,
  currency: string,
): Promise<AffiliatePayoutView | undefined> {
  const row = await selectRules(db)
    .where('p.offer_id', '=', offerId)
    .where('p.affiliate_id', '=', affiliateId)
    .where('p.goal', '=', goal)
    .executeTakeFirst()
  return row && presentRule(row, currency)
}

function presentRule(row: PayoutRow, currency: string): AffiliatePayoutView {
  return {
    id: formatId(row.id),
    offer_id: formatId(row.offer_id),
    affiliate_id: formatId(row.affiliate_id),
    affiliate_name: row.affiliate_name,
    goal: row.goal === EVERY_GOAL ? null : row.goal,
    payout: formatRate(row.payout, row.payout_type, digitsOf(currency)),
    payout_type: row.payout_type,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  }
}

function digitsOf(currency: string): number {
  return currencyDigits(currency) ?? 2
}

async function requireOffer(db: Db, offerId: number) {
  const offer = await db
    .selectFrom('offers')
    .select(['id', 'currency'])
    .where('id', '=', offerId)
    .executeTakeFirst()
  if (!offer) throw new AppError('not_found', `offer ${offerId} not found`)
  return offer
}

async function requireAffiliate(db: Db, affiliateId: number) {
  const row = await db
    .selectFrom('affiliates')
    .select('id')
    .where('id', '=', affiliateId)
    .executeTakeFirst()
  if (!row) throw new AppError('not_found', `affiliate ${affiliateId} not found`)
}

async function requireGoal(db: Db, offerId: number, goal: string) {
  if (goal === EVERY_GOAL || goal === 'default') return
  const row = await db
    .selectFrom('offer_goals')
    .select('id')
    .where('offer_id', '=', offerId)
    .where('key', '=', goal)
    .executeTakeFirst()
  if (!row) {
    throw new AppError('unknown_goal', `offer ${offerId} has no goal "${goal}"`, [
      { field: 'goal', message: 'is not a goal of this offer' },
    ])
  }
}
