import type { DeliveryEvent } from '../../src/delivery/index.ts'
import { enqueueDeliveries } from '../../src/delivery/index.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import type { TestServer } from '../helpers/test-server.ts'

let nextChange = 1

/** A catalog's ids, as numbers for `enqueueEvent` and as the API spells them. */
export interface CatalogIds {
  affiliateId: number
  offerId: number
  affiliate: string
  offer: string
  /** The affiliate's own API key. */
  apiKey: string
}

/** An advertiser, an offer (with `offer`'s fields) and an affiliate to deliver for. */
export async function createDeliveryCatalog(
  t: TestServer,
  offer: Record<string, unknown> = {},
): Promise<CatalogIds> {
  const created = await createCatalog(t, offer)
  return {
    affiliateId: Number(created.affiliate.id),
    offerId: Number(created.offer.id),
    affiliate: created.affiliate.id,
    offer: created.offer.id,
    apiKey: created.affiliate.api_key,
  }
}

/**
 * Queues the deliveries of a made-up conversion event the way the conversions capability does:
 * inside a transaction, through delivery's public function.
 */
export async function enqueueEvent(
  t: TestServer,
  event: Partial<DeliveryEvent> & { affiliateId: number; offerId: number },
): Promise<{ queued: number; event: DeliveryEvent }> {
  const changeId = event.changeId ?? nextChange++
  const full: DeliveryEvent = {
    changeId,
    conversionId: changeId,
    goal: 'default',
    status: 'approved',
    occurredAt: Date.now(),
    ...event,
    macros: {
      click_id: `click-${changeId}`,
      conversion_id: String(event.conversionId ?? changeId),
      txid: `order ${changeId}&x=1`,
      offer_id: String(event.offerId),
      affiliate_id: String(event.affiliateId),
      goal: event.goal ?? 'default',
      status: event.status ?? 'approved',
      payout: '1.75',
      amount: '',
      currency: 'USD',
      sub1: 'a"b\\c',
      timestamp: '1700000000',
      ...event.macros,
    },
  }
  const queued = await t.server.database.db
    .transaction()
    .execute((tx) => enqueueDeliveries(tx, full))
  return { queued, event: full }
}
