import type { Selectable } from 'kysely'
import { recordChange } from '../access/index.ts'
import type { Db } from '../db/database.ts'
import type { OfferGoalsTable, OfferStatus, OffersTable, RateType } from '../db/schema.ts'
import { storageOf } from '../db/storage.ts'
import { AppError } from '../http/errors.ts'
import { decodeCursor, type Page, toPage } from '../http/pagination.ts'
import { formatId, parseId } from '../shared/ids.ts'
import { currencyDigits } from '../shared/money.ts'
import { bumpCatalogRevision } from './catalog-revision.ts'
import { type FraudRulesInput, parseStoredFraud } from './fraud-rules-schema.ts'
import { type CapView, parseStoredCaps, presentCaps } from './offer-caps.ts'
import {
  type GoalInput,
  type NormalizedOffer,
  normalizeOffer,
  type OfferInput,
} from './offer-input.ts'
import { formatRate } from './rates.ts'

export type OfferRow = Selectable<OffersTable>
export type GoalRow = Omit<OfferGoalsTable, 'id'> & { id: number }

export interface GoalView {
  key: string
  name: string
  revenue?: number
  revenue_type?: RateType
  payout?: number
  payout_type?: RateType
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
  payout_type?: RateType
  conversion_window_days: number
  goals: GoalView[]
  time_zone: string
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
  /** An affiliate sees the offer's own caps and its own, not other affiliates'. */
  affiliateId?: number
}

export type OfferPatch = Partial<OfferInput>

export async function createOffer(
  db: Db,
  input: OfferInput,
  audience: OfferAudience,
): Promise<OfferView> {
  const advertiserId = await requireAdvertiser(db, input.advertiser_id)
  const offer = normalizeOffer(input)
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
  return presentOffer(row, goals, audience)
}

export async function listOffers(
  db: Db,
  query: { limit: number; cursor?: string; advertiser_id?: string; status?: OfferStatus },
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
  const rows = await select.execute()
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
    time_zone: view.time_zone,
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

function presentOffer(row: OfferRow, goals: GoalRow[], audience: OfferAudience): OfferView {
  const digits = currencyDigits(row.currency) ?? 2
  const rate = (stored: number, type: RateType) => formatRate(stored, type, digits)
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
      ? { payout: rate(row.payout, row.payout_type), payout_type: row.payout_type }
      : {}),
    conversion_window_days: row.conversion_window_days,
    goals: goals.map((goal) => ({
      key: goal.key,
      name: goal.name,
      ...(audience.admin
        ? { revenue: rate(goal.revenue, goal.revenue_type), revenue_type: goal.revenue_type }
        : {}),
      ...(audience.payouts !== false
        ? { payout: rate(goal.payout, goal.payout_type), payout_type: goal.payout_type }
        : {}),
      allow_multiple: goal.allow_multiple === 1,
    })),
    time_zone: row.time_zone,
    caps: presentCaps(
      parseStoredCaps(row.caps).filter(
        (cap) =>
          audience.affiliateId === undefined ||
          cap.affiliate_id === null ||
          cap.affiliate_id === audience.affiliateId,
      ),
      digits,
    ),
    ...(audience.admin ? { fraud: parseStoredFraud(row.fraud) } : {}),
    tracking_url: `${audience.publicUrl}/c/${row.id}?aff_id={affiliate_id}`,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  }
}
