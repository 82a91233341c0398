import type { Generated } from 'kysely'
import type { AbuseGuardTables } from './tables/abuse-guards.ts'
import type { AccessTables, Role } from './tables/access.ts'
import type { ClickTables } from './tables/clicks.ts'
import type { ConversionTables } from './tables/conversions.ts'
import type { DeliveryTables } from './tables/deliveries.ts'
import type { OfferAccessTables, OfferVisibility } from './tables/offer-access.ts'
import type { ReportTables } from './tables/reports.ts'

export type Engine = 'sqlite' | 'postgres'

// Times are epoch milliseconds and money is integer minor units on both engines, so the same
// query returns the same JavaScript values whichever engine runs it. Flags are 0/1 integers.

export interface SettingsTable {
  key: string
  value: string
}

export interface ApiKeysTable {
  id: Generated<number>
  role: Role
  affiliate_id: number | null
  key_hash: string
  created_at: number
  /** Null for the keys made before keys had names (the generated admin key, affiliate keys). */
  name: Generated<string | null>
  /** The user the key acts for; null for keys that belong to nobody in particular. */
  user_id: Generated<number | null>
  advertiser_id: Generated<number | null>
  /** `user:<id>` or `key:<id>` of whoever made it. */
  created_by: Generated<string | null>
  last_used_at: Generated<number | null>
}

export interface AdvertisersTable {
  id: Generated<number>
  name: string
  postback_token: string
  /** JSON array of CIDR strings. */
  postback_ip_allowlist: string
  created_at: number
  updated_at: number
}

export type OfferStatus = 'active' | 'paused'
export type PayoutType = 'fixed' | 'percent'
/** `reported`: the revenue the advertiser sends with each conversion (revenue only). */
export type RateType = PayoutType | 'reported'

export interface OffersTable {
  id: Generated<number>
  advertiser_id: number
  name: string
  destination_url: string
  fallback_url: string | null
  status: OfferStatus
  currency: string
  /** Minor units when fixed; ten-thousandths of a percent when percent. */
  revenue: number
  revenue_type: RateType
  payout: number
  payout_type: PayoutType
  conversion_window_days: number
  /** IANA zone of the offer's schedule and cap periods. */
  time_zone: string
  /** JSON of the offer's targeting (see src/catalog/offer-targeting.ts), or null for none. */
  targeting: string | null
  /** JSON array of the offer's caps (see src/catalog/offer-caps.ts), or null for none. */
  caps: string | null
  created_at: number
  updated_at: number
  /** Who may run it: every affiliate, those a manager approved, or those granted. */
  visibility: OfferVisibility
  /** JSON of the fraud rules the offer overrides; null: the network's defaults alone. */
  fraud: Generated<string | null>
}

export interface OfferGoalsTable {
  id: Generated<number>
  offer_id: number
  key: string
  name: string
  revenue: number
  revenue_type: RateType
  payout: number
  payout_type: PayoutType
  allow_multiple: number
}

export interface AffiliatesTable {
  id: Generated<number>
  name: string
  status: OfferStatus
  created_at: number
  updated_at: number
}

export interface PostbacksTable {
  id: Generated<number>
  /** The owner: an affiliate, an advertiser, or neither (the network's, for every conversion). */
  affiliate_id: number | null
  advertiser_id: Generated<number | null>
  offer_id: number | null
  url: string
  method: 'GET' | 'POST'
  body_template: string | null
  content_type: string | null
  /** JSON array of goal keys, or null for every goal. */
  goals: string | null
  /** JSON array of conversion statuses. */
  statuses: string
  signing_secret: string | null
  created_at: number
  updated_at: number
  /** After a rotation, the old secret keeps signing alongside the new one until it expires. */
  previous_signing_secret: Generated<string | null>
  previous_secret_expires_at: Generated<number | null>
  /** Set when the endpoint kept failing for 24 h; its deliveries wait until it is re-enabled. */
  disabled_at: Generated<number | null>
  deleted_at: Generated<number | null>
  consecutive_failures: Generated<number>
  failing_since: Generated<number | null>
  circuit_open_until: Generated<number | null>
  circuit_cooldown_ms: Generated<number | null>
}

/** The whole database: the catalog here, each capability's tables in db/tables/. */
export interface Schema
  extends AbuseGuardTables,
    AccessTables,
    ClickTables,
    ConversionTables,
    DeliveryTables,
    OfferAccessTables,
    ReportTables {
  settings: SettingsTable
  api_keys: ApiKeysTable
  advertisers: AdvertisersTable
  offers: OffersTable
  offer_goals: OfferGoalsTable
  affiliates: AffiliatesTable
  postbacks: PostbacksTable
}
