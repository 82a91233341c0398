/** Macros a tracking link's destination URL may use (contract: "Click tracking"). */
export const CLICK_MACROS: ReadonlySet<string> = new Set([
  'click_id',
  'offer_id',
  'affiliate_id',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'source',
  'country',
  'ip',
  'timestamp',
])

/** Macros an affiliate's postback URL and body template may use (contract: "Outbound postback"). */
export const POSTBACK_MACROS: ReadonlySet<string> = new Set([
  'click_id',
  'conversion_id',
  'txid',
  'offer_id',
  'affiliate_id',
  'goal',
  'status',
  'payout',
  'amount',
  'currency',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'source',
  'country',
  'flags',
  'event_id',
  'timestamp',
  'adv1',
  'adv2',
  'adv3',
  'adv4',
  'adv5',
])

/**
 * Macros of an advertiser's or the network's endpoint: an affiliate's, plus `{revenue}`, which
 * the network earns and an affiliate is never shown.
 */
export const OWNER_POSTBACK_MACROS: ReadonlySet<string> = new Set([...POSTBACK_MACROS, 'revenue'])
