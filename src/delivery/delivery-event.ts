import type { ConversionStatus } from '../conversions/index.ts'

/**
 * What the conversions capability hands to delivery, inside the transaction that records a new
 * conversion or a status change: the routing facts that pick the affiliate's endpoints, and every
 * outbound macro value already formatted, so each retry sends exactly what the first attempt sent.
 */
export interface DeliveryEvent {
  /** The status-change (history) row this event stands for; with an endpoint id it makes event_id. */
  changeId: number
  conversionId: number
  affiliateId: number
  /** The offer's advertiser, whose own endpoints get the event too (none when left out). */
  advertiserId?: number
  offerId: number
  /** Goal key; `default` for the offer itself. */
  goal: string
  status: ConversionStatus
  /** When the change happened, epoch ms. */
  occurredAt: number
  /**
   * Macro values as text: click_id, conversion_id, txid, offer_id, affiliate_id, goal, status,
   * payout, revenue and amount (decimals in the offer's currency, amount '' when none was
   * given), currency, sub1…sub5, source, country, adv1…adv5, timestamp (Unix seconds of the
   * change). Delivery adds event_id, and shows each endpoint only the money its owner may see.
   */
  macros: Record<string, string>
}
