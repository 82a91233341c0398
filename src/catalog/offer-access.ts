import { recordChange } from '../access/index.ts'
import type { Db } from '../db/database.ts'
import type { AccessRequestState, OfferVisibility } from '../db/tables/offer-access.ts'
import { AppError } from '../http/errors.ts'
import { formatId } from '../shared/ids.ts'
import { bumpCatalogRevision } from './catalog-revision.ts'

/**
 * Where an affiliate stands on an offer: `granted` (it may run it: the offer is public, or it was
 * approved or granted), `pending` (its request waits), `declined` (its last request was declined;
 * it may ask again), `requestable` (an approval offer it has not asked for). A private offer it
 * was not granted is not shown at all.
 */
export type AffiliateAccess = 'granted' | 'pending' | 'declined' | 'requestable'

/** Gives an affiliate access to an offer, whatever its visibility; a repeat changes nothing. */
export async function grantAccess(db: Db, offerId: number, affiliateId: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await requireOfferAndAffiliate(tx, offerId, affiliateId)
    const inserted = await tx
      .insertInto('offer_access')
      .values({ offer_id: offerId, affiliate_id: affiliateId, granted_at: Date.now() })
      .onConflict((conflict) => conflict.doNothing())
      .returning('offer_id')
      .executeTakeFirst()
    if (inserted) await recordGrant(tx, 'grant_access', offerId, affiliateId)
  })
  bumpCatalogRevision()
}

/** Takes an affiliate's access away: its next click goes where a paused offer's would. */
export async function revokeAccess(db: Db, offerId: number, affiliateId: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await requireOfferAndAffiliate(tx, offerId, affiliateId)
    const removed = await tx
      .deleteFrom('offer_access')
      .where('offer_id', '=', offerId)
      .where('affiliate_id', '=', affiliateId)
      .executeTakeFirst()
    if (removed.numDeletedRows > 0n) await recordGrant(tx, 'revoke_access', offerId, affiliateId)
  })
  bumpCatalogRevision()
}

/** Inserts the grant inside a caller's transaction (an approved request). */
export async function insertGrant(tx: Db, offerId: number, affiliateId: number): Promise<void> {
  await tx
    .insertInto('offer_access')
    .values({ offer_id: offerId, affiliate_id: affiliateId, granted_at: Date.now() })
    .onConflict((conflict) => conflict.doNothing())
    .execute()
}

// The offer's log names the affiliate that gained or lost access.
function recordGrant(tx: Db, action: string, offerId: number, affiliateId: number) {
  const granted = action === 'grant_access'
  const affiliate = formatId(affiliateId)
  return recordChange(tx, {
    action,
    entity: 'offer',
    entityId: offerId,
    before: { access_affiliate_id: granted ? null : affiliate },
    after: { access_affiliate_id: granted ? affiliate : null },
  })
}

async function requireOfferAndAffiliate(db: Db, offerId: number, affiliateId: number) {
  const offer = await db
    .selectFrom('offers')
    .select('id')
    .where('id', '=', offerId)
    .executeTakeFirst()
  if (!offer) throw new AppError('not_found', `offer ${offerId} not found`)
  const affiliate = await db
    .selectFrom('affiliates')
    .select('id')
    .where('id', '=', affiliateId)
    .executeTakeFirst()
  if (!affiliate) throw new AppError('not_found', `affiliate ${affiliateId} not found`)
}

/** Where one affiliate stands on each of `offers` (by id); private offers it may not see are absent. */
export async function accessOfAffiliate(
  db: Db,
  affiliateId: number,
  offers: ReadonlyArray<{ id: number; visibility: OfferVisibility }>,
): Promise<Map<number, AffiliateAccess>> {
  const closed = offers.filter((offer) => offer.visibility !== 'public').map((offer) => offer.id)
  const [grants, requests] =
    closed.length === 0
      ? [[], []]
      : await Promise.all([
          db
            .selectFrom('offer_access')
            .select('offer_id')
            .where('affiliate_id', '=', affiliateId)
            .where('offer_id', 'in', closed)
            .execute(),
          db
            .selectFrom('offer_access_requests')
            .select(['offer_id', 'state'])
            .where('affiliate_id', '=', affiliateId)
            .where('offer_id', 'in', closed)
            .orderBy('id')
            .execute(),
        ])
  const granted = new Set(grants.map((row) => row.offer_id))
  // Ordered by id, so the last request of each offer is the one that stays.
  const lastRequest = new Map<number, AccessRequestState>()
  for (const row of requests) lastRequest.set(row.offer_id, row.state)
  const access = new Map<number, AffiliateAccess>()
  for (const offer of offers) {
    if (offer.visibility === 'public' || granted.has(offer.id)) access.set(offer.id, 'granted')
    else if (offer.visibility === 'approval') {
      const last = lastRequest.get(offer.id)
      access.set(
        offer.id,
        last === 'pending' ? 'pending' : last === 'declined' ? 'declined' : 'requestable',
      )
    }
  }
  return access
}
