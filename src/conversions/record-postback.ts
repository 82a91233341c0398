import type { ClickRecord } from '../clicks/index.ts'
import type { Db } from '../db/database.ts'
import { reserveIds } from '../db/reserve-ids.ts'
import { enqueueDeliveriesFor } from '../delivery/index.ts'
import type { AppError } from '../http/errors.ts'
import type { GoalRates, OfferContext } from './attribution-context.ts'
import { changeStatus } from './change-status.ts'
import type { ConversionEffects } from './conversion-effects.ts'
import { conversionEvent } from './conversion-event.ts'
import { conversionMoney, type PostbackWarning } from './conversion-money.ts'
import { type ConversionStatus, canTransition, transitionError } from './conversion-status.ts'
import {
  type ConversionRow,
  findConversion,
  findConversionByTxid,
  findGoalConversion,
  insertConversionsUnlessDuplicate,
  insertFirstHistory,
  type NewConversion,
} from './conversion-store.ts'
import type { FraudRules } from './fraud-rules.ts'
import type { ConversionRequest } from './postback-input.ts'
import { screenCounted, screenSignals } from './screen-conversions.ts'

const DAY_MS = 86_400_000

/** Who the conversion belongs to: the click id's offer, affiliate and time, and the click row if any. */
export interface Attribution {
  clickId: string
  offer: OfferContext
  affiliateId: number
  /** Epoch ms: the click row's time, else the (second-rounded) time inside the click id. */
  clickedAt: number
  /** Undefined when the click row was never written; sub ids, country and device are then null. */
  click: ClickRecord | undefined
}

export interface PostbackOutcome {
  result: 'accepted' | 'duplicate' | 'updated' | 'rejected'
  conversionId: number
  status: ConversionStatus
  reason?: string
  /** Money parameters the call sent that its goal does not use. */
  warnings?: PostbackWarning[]
}

export interface PostbackFacts {
  attribution: Attribution
  goal: GoalRates
  request: ConversionRequest
  /** The fraud rules in force on the offer (the network's defaults with its overrides). */
  rules: FraudRules
  now: number
}

/**
 * Records what a batch of postbacks says — new conversions, duplicates, status changes — with
 * history rows and queued deliveries, in the caller's transaction, one result per postback (an
 * AppError for a refused one, which has written nothing). New conversions go in with one
 * statement per table; the few that hit a unique key are then resolved one by one, in order, and
 * see every row written before them, as if the batch had run call by call.
 */
export async function recordConversions(
  tx: Db,
  effects: ConversionEffects,
  batch: readonly PostbackFacts[],
): Promise<Array<PostbackOutcome | AppError>> {
  const ids = await reserveIds(tx, 'conversions', batch.length)
  const candidates = batch.map((facts, i) => ({ ...newConversion(facts), id: ids[i]! }))
  const inserted = await insertConversionsUnlessDuplicate(tx, candidates)
  const rows = candidates.filter((row) => inserted.has(row.id)) as ConversionRow[]
  // Counted rules and caps see only conversions that went in: a duplicate takes no room.
  await screenCounted(
    tx,
    rows.map((row) => ({ row, facts: batch[candidates.indexOf(row)]! })),
  )
  const changeIds = await insertFirstHistory(
    tx,
    rows.map((row) => ({
      conversion_id: row.id,
      from_status: null,
      to_status: row.status,
      source: 'postback',
      reason: row.reason,
      created_at: row.created_at,
    })),
  )
  await enqueueDeliveriesFor(
    tx,
    rows.map((row) => conversionEvent(row, changeIds.get(row.id)!, row.created_at)),
  )
  for (const row of rows) effects.changed(row, null, row.created_at)
  const outcomes: Array<PostbackOutcome | AppError> = []
  for (const [i, facts] of batch.entries()) {
    const row = candidates[i]!
    outcomes.push(
      inserted.has(row.id)
        ? newOutcome(row.id, row.status, row.reason ?? null)
        : await resolveRepeat(tx, effects, facts),
    )
  }
  return outcomes
}

// A conversion Backtrack itself rejected (outside the window, a fraud rule, a cap) says why; one
// held for review is accepted as pending, its reason `held`.
function newOutcome(id: number, status: ConversionStatus, reason: string | null): PostbackOutcome {
  const refused = status === 'rejected' && reason !== null
  return {
    result: refused ? 'rejected' : 'accepted',
    conversionId: id,
    status,
    ...(refused ? { reason } : {}),
  }
}

function newConversion(facts: PostbackFacts): NewConversion {
  const { attribution, goal, request, now } = facts
  const { offer, click } = attribution
  const late = now - attribution.clickedAt > offer.conversionWindowDays * DAY_MS
  const row: NewConversion = {
    click_id: attribution.clickId,
    offer_id: offer.offerId,
    affiliate_id: attribution.affiliateId,
    advertiser_id: offer.advertiserId,
    goal: goal.key,
    txid: request.txid,
    once_per_click: goal.allowMultiple ? null : 1,
    status: late ? 'rejected' : request.status,
    reason: late ? 'outside_window' : null,
    amount: request.amount,
    ...conversionMoney(goal, request),
    reported_revenue: request.reportedRevenue,
    currency: offer.currency,
    ...request.adv,
    sub1: click?.sub1 ?? null,
    sub2: click?.sub2 ?? null,
    sub3: click?.sub3 ?? null,
    sub4: click?.sub4 ?? null,
    sub5: click?.sub5 ?? null,
    source: click?.source ?? null,
    country: click?.country ?? null,
    device_type: click?.deviceType ?? null,
    clicked_at: attribution.clickedAt,
    seconds_to_convert: Math.max(0, Math.floor((now - attribution.clickedAt) / 1000)),
    created_at: now,
    updated_at: now,
    flags: null,
  }
  if (!late) screenSignals(facts, row)
  return row
}

/**
 * The insert hit a unique key. The same txid on the offer is the same conversion: a repeat, or a
 * status change. Otherwise the goal has already converted on this click — a duplicate, except
 * that a repeat without txid of a conversion recorded without txid may move its status forward
 * (pending → approved), the only way such a conversion can be updated by postback.
 */
async function resolveRepeat(
  tx: Db,
  effects: ConversionEffects,
  facts: PostbackFacts,
): Promise<PostbackOutcome | AppError> {
  const { request, attribution } = facts
  if (request.txid !== null) {
    const same = await findConversionByTxid(tx, attribution.offer.offerId, request.txid)
    if (same) return applyRepeat(tx, effects, same, facts, 'duplicate_txid', true)
  }
  const converted = await findGoalConversion(tx, attribution.clickId, facts.goal.key)
  if (!converted) throw new Error('conversion insert conflicted but no conflicting row was found')
  if (request.txid === null && converted.txid === null) {
    return applyRepeat(tx, effects, converted, facts, 'goal_already_converted', false)
  }
  return duplicate(converted, 'goal_already_converted')
}

async function applyRepeat(
  tx: Db,
  effects: ConversionEffects,
  existing: ConversionRow,
  facts: PostbackFacts,
  reason: string,
  refuseBadTransitions: boolean,
): Promise<PostbackOutcome | AppError> {
  let current: ConversionRow | undefined = existing
  // A concurrent change may win the compare-and-set; then decide again on what it left.
  for (let attempt = 0; attempt < 3 && current; attempt++) {
    const to = facts.request.status
    if (current.reason === 'outside_window' || current.status === to) {
      return duplicate(current, reason)
    }
    // A held conversion waits for its review: the advertiser may reject it, not approve it.
    if (current.reason === 'held' && to === 'approved') return duplicate(current, 'held_for_review')
    if (!canTransition(current.status, to)) {
      if (refuseBadTransitions) return transitionError(current.status, to)
      return duplicate(current, reason)
    }
    const change = { to, source: 'postback' as const, reason: null, at: facts.now }
    const updated = await changeStatus(tx, effects, current, change)
    if (updated) return { result: 'updated', conversionId: updated.id, status: updated.status }
    current = await findConversion(tx, current.id)
  }
  throw new Error(`conversion ${existing.id} kept changing status under a postback`)
}

function duplicate(row: ConversionRow, reason: string): PostbackOutcome {
  return { result: 'duplicate', conversionId: row.id, status: row.status, reason }
}
