import type { Generated } from 'kysely'

export type ConversionStatusValue = 'approved' | 'pending' | 'rejected'

export interface ConversionsTable {
  id: Generated<number>
  click_id: string
  offer_id: number
  affiliate_id: number
  advertiser_id: number
  /** Goal key; `default` for the offer itself. */
  goal: string
  /** The advertiser's own id of the conversion; unique per offer when given. */
  txid: string | null
  /**
   * 1 when the goal converts once per click, null for `allow_multiple` goals. Part of the unique
   * key (click_id, goal, once_per_click): NULLs are distinct on both engines, so only once-per-click
   * goals collide.
   */
  once_per_click: number | null
  status: ConversionStatusValue
  /** Why the status is what it is, e.g. `outside_window`; null when there is nothing to say. */
  reason: string | null
  /** Sale amount in minor units of `currency`, null when the advertiser sent none. */
  amount: number | null
  revenue: number
  payout: number
  /** The revenue the advertiser's postback reported, minor units; null when it sent none. */
  reported_revenue: number | null
  currency: string
  /** The advertiser's own values, sent with its postback. */
  adv1: string | null
  adv2: string | null
  adv3: string | null
  adv4: string | null
  adv5: string | null
  sub1: string | null
  sub2: string | null
  sub3: string | null
  sub4: string | null
  sub5: string | null
  source: string | null
  country: string | null
  device_type: string | null
  clicked_at: number
  seconds_to_convert: number
  created_at: number
  updated_at: number
  /** JSON array of the fraud rules the conversion tripped; null when it tripped none. */
  flags: Generated<string | null>
}

/** Counts per key and window (caps, velocity rules), moved in the conversion's transaction. */
export interface ConversionCountersTable {
  key: string
  window_start: number
  used: number
  /** When the row may be pruned; null for `total` caps, which never reset. */
  expires_at: number | null
}

export interface ConversionHistoryTable {
  id: Generated<number>
  conversion_id: number
  from_status: ConversionStatusValue | null
  to_status: ConversionStatusValue
  /** What made the change: an inbound postback or the admin API. */
  source: 'postback' | 'api'
  reason: string | null
  created_at: number
}

export type PostbackResult = 'accepted' | 'duplicate' | 'updated' | 'rejected' | 'error'

export interface PostbackLogTable {
  id: Generated<number>
  created_at: number
  method: string
  ip: string
  /** JSON object of every parameter received (query and body), secrets masked. */
  params: string
  /** How the call authenticated: `token`, `signature`, or null when it did not get that far. */
  auth: string | null
  http_status: number
  result: PostbackResult
  /** The error code of a refused call, or the reason of a duplicate/rejected one. */
  reason: string | null
  message: string | null
  conversion_id: number | null
  click_id: string | null
  offer_id: number | null
  advertiser_id: number | null
  /** JSON array of warnings of an accepted call (a money parameter its offer does not use). */
  warnings: Generated<string | null>
}

export interface ConversionTables {
  conversions: ConversionsTable
  conversion_history: ConversionHistoryTable
  conversion_counters: ConversionCountersTable
  postback_log: PostbackLogTable
}
