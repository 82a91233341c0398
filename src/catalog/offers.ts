import type { Selectable } from 'kysely'
import { recordChange } from '../access/index.ts'
import type { Db } from '../db/database.ts'
import type {
  OfferGoalsTable,
  OfferStatus,
  OffersTable,
  PayoutType,
  RateType,
} from '../db/schema.ts'
import { storageOf } from '../db/storage.ts'
import type { OfferVisibility } from '../db/tables/offer-access.ts'
import { AppError } from '../http/errors.ts'
import { decodeCursor, type Page, toPage } from '../http/pagination.ts'
import { formatId, parseId } from '../shared/ids.ts'
import { currencyDigits } from '../shared/money.ts'
import { type PayoutRate, payoutRulesOf, ruleFor } from './affiliate-payouts.ts'
import { bumpCatalogRevision } from './catalog-revision.ts'
import { type FraudRulesInput, parseStoredFraud } from './fraud-rules-schema.ts'
import { type AffiliateAccess, accessOfAffiliate } from './offer-access.ts'
import { type CapView, parseStoredCaps, presentCaps } from './offer-caps.ts'
import {
  type GoalInput,
  type NormalizedOffer,
  normalizeOffer,
  type OfferInput,
} from './offer-input.ts'
import type { Targeting } from './offer-targeting.ts'
import { formatRate } from './rates.ts'

export type OfferRow = Selectable<OffersTable>
export type GoalRow = Omit<OfferGoalsTable, 'id'> & { id: number }

export interface GoalView {
  key: string
  name: string
  revenue?: number
  revenue_type?: RateType
  payout?: number
  payout_type?: PayoutType
  allow_multiple: boolean
}

export interface OfferView {
  id: string
  advertiser_id?: string
  name: string
  destination_url: string
  fallback_url: string | null
  status: OfferStatus
  currency: string
  revenue?: number
  revenue_type?: RateType
  payout?: number
  payout_type?: PayoutType
  conversion_window_days: number
  visibility: OfferVisibility
  /** For an affiliate's caller only: whether it may run the offer, or ask to. */
  access?: AffiliateAccess
  goals: GoalView[]
  time_zone: string
  targeting: Targeting | null
  caps: CapView[]
  /** Admin side only: the fraud rules this offer overrides (null: the network's alone). */
  fraud?: FraudRulesInput | null
  tracking_url: string
  created_at: string
  updated_at: string
}

/**
 * How much of an offer the caller may see: affiliates do not see the advertiser or revenue,
 * advertisers do not see what affiliates are paid.
 */
export interface OfferAudience {
  publicUrl: string
  admin: boolean
  /** False for advertisers; true when left out. */
  payouts?: boolean
  /** An advertiser's caller sees that advertiser's offers only. */
  advertiserId?: number
  /**
   * An affiliate's caller sees the offers open to it (public, approval, private ones it was
   * granted), with its own payouts, its own tracking link and the caps that apply to it.
   */
  affiliateId?: number
}

/** What one affiliate's view of an offer adds: where it stands, and its own payouts. */
interface AffiliateFacts {
  affiliateId: number
  access: AffiliateAccess
  rules: ReadonlyMap<string, PayoutRate> | undefined
}

export type OfferPatch = Partial<OfferInput>

export async function createOffer(
  db: Db,
  input: OfferInput,
  audience: OfferAudience,
): Promise<OfferView> {
  const advertiserId = await requireAdvertiser(db, input.advertiser_id)
  const offer = normalizeOffer(input)
  await requireCapAffiliates(db, offer.caps)
  const now = Date.now()
  const id = await db.transaction().execute(async (tx) => {
    const { goals, ...fields } = offer
    const row = await tx
      .insertInto('offers')
      .values({ ...fields, advertiser_id: advertiserId, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    await replaceGoals(tx, row.id, goals)
    const after = await getOffer(tx, row.id, { ...audience, admin: true })
    await recordChange(tx, { action: 'create', entity: 'offer', entityId: row.id, after })
    return row.id
  })
  bumpCatalogRevision()
  return getOffer(db, id, audience)
}

export async function getOffer(db: Db, id: number, audience: OfferAudience): Promise<OfferView> {
  const row = await findOfferRow(db, id)
  if (audience.advertiserId !== undefined && row.advertiser_id !== audience.advertiserId) {
    throw new AppError('not_found', `offer ${id} not found`)
  }
  const goals = await db
    .selectFrom('offer_goals')
    .selectAll()
    .where('offer_id', '=', id)
    .orderBy('id')
    .execute()
  const facts = await affiliateFacts(db, [row], audience)
  if (audience.affiliateId !== undefined && !facts.has(id)) {
    throw new AppError('not_found', `offer ${id} not found`)
  }
  return presentOffer(row, goals, audience, facts.get(id))
}

// Private offers an affiliate was not granted are absent from the map, as from its lists.
async function affiliateFacts(
  db: Db,
  rows: readonly OfferRow[],
  audience: OfferAudience,
): Promise<Map<number, AffiliateFacts>> {
  const facts = new Map<number, AffiliateFacts>()
  const { affiliateId } = audience
  if (affiliateId === undefined) return facts
  const ids = rows.map((row) => row.id)
  const [access, rules] = await Promise.all([
    accessOfAffiliate(db, affiliateId, rows),
    payoutRulesOf(db, affiliateId, ids),
  ])
  for (const [offerId, state] of access) {
    facts.set(offerId, { affiliateId, access: state, rules: rules.get(offerId) })
  }
  return facts
}

export async function listOffers(
  db: Db,
  query: {
    limit: number
    cursor?: string
    advertiser_id?: string
    status?: OfferStatus
    visibility?: OfferVisibility
  },
  audience: OfferAudience,
): Promise<Page<OfferView>> {
  const after = decodeCursor(query.cursor)
  let select = db
    .selectFrom('offers')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
  if (after !== undefined) select = select.where('id', '<', after)
  if (query.status !== undefined) select = select.where('status', '=', query.status)
  if (audience.advertiserId !== undefined) {
    select = select.where('advertiser_id', '=', audience.advertiserId)
  }
  if (query.advertiser_id !== undefined) {
    select = select.where('advertiser_id', '=', parseId(query.advertiser_id) ?? 0)
  }
  if (query.visibility !== undefined) select = select.where('visibility', '=', query.visibility)
  const { affiliateId } = audience
  if (affiliateId !== undefined) {
    select = select.where((eb) =>
      eb.or([
        eb('visibility', '!=', 'private'),
        eb(
          'id',
          'in',
          eb.selectFrom('offer_access').select('offer_id').where('affiliate_id', '=', affiliateId),
        ),
      ]),
    )
  }
  const rows = await select.execute()
  const facts = await affiliateFacts(db, rows.slice(0, query.limit), audience)
  const ids = rows.map((row) => row.id)
  const goals =
    ids.length === 0
      ? []
      : await db
          .selectFrom('offer_goals')
          .selectAll()
          .where('offer_id', 'in', ids)
          .orderBy('id')
          .execute()
  return toPage(rows, query.limit, (row) =>
    presentOffer(
      row,
      goals.filter((goal) => goal.offer_id === row.id),
      audience,
      facts.get(row.id),
    ),
  )
}

/**
 * Applies a patch by merging it into the offer's current values and checking the result as a
 * whole, so a currency change re-checks every amount against the new currency's decimals.
 * `goals`, when given, replaces the whole set.
 */
export async function updateOffer(db: Db, id: number, patch: OfferPatch, audience: OfferAudience) {
  // Read, merged and written in one transaction, the row locked: a concurrent change can neither
  // be lost nor be recorded in the audit log against a stale "before".
  await db.transaction().execute(async (tx) => {
    await storageOf(tx)
      .lockForUpdate(tx.selectFrom('offers').select('id').where('id', '=', id))
      .execute()
    const current = await getOffer(tx, id, { ...audience, admin: true })
    const advertiserId =
      patch.advertiser_id !== undefined
        ? await requireAdvertiser(tx, patch.advertiser_id)
        : undefined
    const merged: OfferInput = { ...toInput(current), ...patch }
    const { goals, ...fields } = normalizeOffer(merged)
    await requireCapAffiliates(tx, fields.caps)
    await tx
      .updateTable('offers')
      .set({
        ...fields,
        ...(advertiserId ? { advertiser_id: advertiserId } : {}),
        updated_at: Date.now(),
      })
      .where('id', '=', id)
      .execute()
    if (patch.goals !== undefined) await replaceGoals(tx, id, goals)
    const after = await getOffer(tx, id, { ...audience, admin: true })
    await recordChange(tx, {
      action: 'update',
      entity: 'offer',
      entityId: id,
      before: current,
      after,
    })
  })
  bumpCatalogRevision()
  return getOffer(db, id, audience)
}

export async function findOfferRow(db: Db, id: number): Promise<OfferRow> {
  const row = await db.selectFrom('offers').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('not_found', `offer ${id} not found`)
  return row
}

async function requireAdvertiser(db: Db, text: string): Promise<number> {
  const id = parseId(text)
  const row =
    id === undefined
      ? undefined
      : await db.selectFrom('advertisers').select('id').where('id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('unknown_advertiser', `advertiser ${text} does not exist`)
  return row.id
}

// Goals are keyed by their key: kept keys are updated in place (their ids stay), others go.
async function replaceGoals(
  db: Db,
  offerId: number,
  goals: NormalizedOffer['goals'],
): Promise<void> {
  const keys = goals.map((goal) => goal.key)
  let remove = db.deleteFrom('offer_goals').where('offer_id', '=', offerId)
  if (keys.length > 0) remove = remove.where('key', 'not in', keys)
  await remove.execute()
  for (const goal of goals) {
    const { key: _key, ...values } = goal
    await db
      .insertInto('offer_goals')
      .values({ ...goal, offer_id: offerId })
      .onConflict((conflict) => conflict.columns(['offer_id', 'key']).doUpdateSet(values))
      .execute()
  }
}

function toInput(view: OfferView): OfferInput {
  return {
    advertiser_id: view.advertiser_id!,
    name: view.name,
    destination_url: view.destination_url,
    fallback_url: view.fallback_url,
    status: view.status,
    currency: view.currency,
    revenue: view.revenue!,
    revenue_type: view.revenue_type!,
    payout: view.payout!,
    payout_type: view.payout_type!,
    conversion_window_days: view.conversion_window_days,
    visibility: view.visibility,
    time_zone: view.time_zone,
    targeting: view.targeting,
    caps: view.caps,
    fraud: view.fraud ?? null,
    goals: view.goals.map(
      (goal): GoalInput => ({
        ...goal,
        revenue: goal.revenue!,
        revenue_type: goal.revenue_type!,
        payout: goal.payout!,
        payout_type: goal.payout_type!,
      }),
    ),
  }
}

function presentOffer(
  row: OfferRow,
  goals: GoalRow[],
  audience: OfferAudience,
  affiliate?: AffiliateFacts,
): OfferView {
  const digits = currencyDigits(row.currency) ?? 2
  const rate = (stored: number, type: RateType) => formatRate(stored, type, digits)
  // An affiliate sees its own payout where a manager set one (docs/api.md, "Offer access").
  const payoutOf = (goal: string, own: PayoutRate) => {
    const rule = ruleFor(affiliate?.rules, goal) ?? own
    return { payout: rate(rule.payout, rule.payoutType), payout_type: rule.payoutType }
  }
  return {
    id: formatId(row.id),
    ...(audience.admin ? { advertiser_id: formatId(row.advertiser_id) } : {}),
    name: row.name,
    destination_url: row.destination_url,
    fallback_url: row.fallback_url,
    status: row.status,
    currency: row.currency,
    ...(audience.admin
      ? { revenue: rate(row.revenue, row.revenue_type), revenue_type: row.revenue_type }
      : {}),
    ...(audience.payouts !== false
      ? payoutOf('default', { payout: row.payout, payoutType: row.payout_type })
      : {}),
    conversion_window_days: row.conversion_window_days,
    visibility: row.visibility,
    ...(affiliate ? { access: affiliate.access } : {}),
    goals: goals.map((goal) => ({
      key: goal.key,
      name: goal.name,
      ...(audience.admin
        ? { revenue: rate(goal.revenue, goal.revenue_type), revenue_type: goal.revenue_type }
        : {}),
      ...(audience.payouts !== false
        ? payoutOf(goal.key, { payout: goal.payout, payoutType: goal.payout_type })
        : {}),
      allow_multiple: goal.allow_multiple === 1,
    })),
    time_zone: row.time_zone,
    targeting: row.targeting === null ? null : (JSON.parse(row.targeting) as Targeting),
    caps: presentCaps(visibleCaps(row, audience), digits),
    ...(audience.admin ? { fraud: parseStoredFraud(row.fraud) } : {}),
    tracking_url: `${audience.publicUrl}/c/${row.id}?aff_id=${affiliate ? affiliate.affiliateId : '{affiliate_id}'}`,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  }
}

// Affiliates see the caps that apply to them; advertisers do not see payout caps.
function visibleCaps(row: OfferRow, audience: OfferAudience) {
  return parseStoredCaps(row.caps).filter(
    (cap) =>
      (audience.affiliateId === undefined ||
        cap.affiliateId === null ||
        cap.affiliateId === audience.affiliateId) &&
      (audience.payouts !== false || cap.metric !== 'payout'),
  )
}

async function requireCapAffiliates(db: Db, caps: string | null): Promise<void> {
  const ids = [...new Set(parseStoredCaps(caps).flatMap((cap) => cap.affiliateId ?? []))]
  if (ids.length === 0) return
  const found = await db.selectFrom('affiliates').select('id').where('id', 'in', ids).execute()
  const missing = ids.find((id) => !found.some((row) => row.id === id))
  if (missing !== undefined) {
    throw new AppError('unknown_affiliate', `caps name affiliate ${missing}, which does not exist`)
  }
}
