import { currentCaller } from '../access/audit-context.ts'
import { type Principal, recordChange } from '../access/index.ts'
import type { Db } from '../db/database.ts'
import type { AccessRequestState, OfferAccessRequestsTable } from '../db/tables/offer-access.ts'
import { AppError } from '../http/errors.ts'
import { decodeCursor, type Page, toPage } from '../http/pagination.ts'
import { formatId, parseId } from '../shared/ids.ts'
import { bumpCatalogRevision } from './catalog-revision.ts'
import { insertGrant } from './offer-access.ts'

type RequestRow = Omit<OfferAccessRequestsTable, 'id'> & {
  id: number
  offer_name: string
  affiliate_name: string
}

export interface AccessRequestView {
  id: string
  offer_id: string
  offer_name: string
  affiliate_id: string
  affiliate_name: string
  state: AccessRequestState
  note: string | null
  decision_note: string | null
  decided_by: string | null
  decided_at: string | null
  created_at: string
  updated_at: string
}

export interface AccessRequestQuery {
  limit: number
  cursor?: string
  state?: AccessRequestState
  offer_id?: string
  affiliate_id?: string
}

/**
 * An affiliate asks to run an approval offer. A private offer it was not granted is a 404 (it
 * must not learn it exists); an offer it may already run, or a request already waiting, is a 409.
 */
export async function requestAccess(
  db: Db,
  offerId: number,
  affiliateId: number,
  note: string | undefined,
): Promise<AccessRequestView> {
  const id = await db.transaction().execute(async (tx) => {
    const offer = await tx
      .selectFrom('offers')
      .select(['id', 'visibility'])
      .where('id', '=', offerId)
      .executeTakeFirst()
    const granted = await tx
      .selectFrom('offer_access')
      .select('offer_id')
      .where('offer_id', '=', offerId)
      .where('affiliate_id', '=', affiliateId)
      .executeTakeFirst()
    if (!offer || (offer.visibility === 'private' && !granted)) {
      throw new AppError('not_found', `offer ${offerId} not found`)
    }
    if (offer.visibility === 'public' || granted) {
      throw new AppError('conflict', `affiliate ${affiliateId} may already run offer ${offerId}`)
    }
    const now = Date.now()
    const row = await tx
      .insertInto('offer_access_requests')
      .values({
        offer_id: offerId,
        affiliate_id: affiliateId,
        state: 'pending',
        note: note ?? null,
        decision_note: null,
        decided_by: null,
        decided_at: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((conflict) => conflict.doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!row) throw new AppError('conflict', `a request for offer ${offerId} is already pending`)
    const after = await readRequest(tx, row.id)
    await recordChange(tx, { action: 'create', entity: 'access_request', entityId: row.id, after })
    return row.id
  })
  return readRequest(db, id)
}

/** Requests newest first; an affiliate sees only its own, whatever `affiliate_id` it sends. */
export async function listAccessRequests(
  db: Db,
  query: AccessRequestQuery,
  principal: Principal,
): Promise<Page<AccessRequestView>> {
  const after = decodeCursor(query.cursor)
  let select = selectRequests(db)
    .orderBy('r.id', 'desc')
    .limit(query.limit + 1)
  if (after !== undefined) select = select.where('r.id', '<', after)
  if (query.state !== undefined) select = select.where('r.state', '=', query.state)
  if (query.offer_id !== undefined) {
    select = select.where('r.offer_id', '=', parseId(query.offer_id) ?? 0)
  }
  if (query.affiliate_id !== undefined) {
    select = select.where('r.affiliate_id', '=', parseId(query.affiliate_id) ?? 0)
  }
  if (principal.role === 'affiliate') {
    select = select.where('r.affiliate_id', '=', principal.affiliateId)
  }
  return toPage(await select.execute(), query.limit, presentRequest)
}

/** A manager approves (the affiliate gains access) or declines a pending request, with a note. */
export async function decideAccessRequest(
  db: Db,
  id: number,
  decision: { state: 'approved' | 'declined'; note?: string },
): Promise<AccessRequestView> {
  await db.transaction().execute(async (tx) => {
    const before = await readRequest(tx, id)
    const now = Date.now()
    const updated = await tx
      .updateTable('offer_access_requests')
      .set({
        state: decision.state,
        decision_note: decision.note ?? null,
        decided_by: currentCaller()?.actor.name ?? null,
        decided_at: now,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .executeTakeFirst()
    if (updated.numUpdatedRows === 0n) {
      throw new AppError('conflict', `access request ${id} was already ${before.state}`)
    }
    const offerId = Number(before.offer_id)
    if (decision.state === 'approved') await insertGrant(tx, offerId, Number(before.affiliate_id))
    const after = await readRequest(tx, id)
    const action = decision.state === 'approved' ? 'approve' : 'decline'
    await recordChange(tx, { action, entity: 'access_request', entityId: id, before, after })
  })
  bumpCatalogRevision()
  return readRequest(db, id)
}

function selectRequests(db: Db) {
  return db
    .selectFrom('offer_access_requests as r')
    .innerJoin('offers as o', 'o.id', 'r.offer_id')
    .innerJoin('affiliates as a', 'a.id', 'r.affiliate_id')
    .selectAll('r')
    .select(['o.name as offer_name', 'a.name as affiliate_name'])
}

async function readRequest(db: Db, id: number): Promise<AccessRequestView> {
  const row = await selectRequests(db).where('r.id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('not_found', `access request ${id} not found`)
  return presentRequest(row)
}

function presentRequest(row: RequestRow): AccessRequestView {
  const time = (at: number | null) => (at === null ? null : new Date(at).toISOString())
  return {
    id: formatId(row.id),
    offer_id: formatId(row.offer_id),
    offer_name: row.offer_name,
    affiliate_id: formatId(row.affiliate_id),
    affiliate_name: row.affiliate_name,
    state: row.state,
    note: row.note,
    decision_note: row.decision_note,
    decided_by: row.decided_by,
    decided_at: time(row.decided_at),
    created_at: time(row.created_at)!,
    updated_at: time(row.updated_at)!,
  }
}
