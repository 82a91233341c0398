import type { Generated } from 'kysely'
import type { PayoutType } from '../schema.ts'

export type OfferVisibility = 'public' | 'approval' | 'private'
export type AccessRequestState = 'pending' | 'approved' | 'declined'

/** An affiliate may run an `approval` or `private` offer when it has a row here. */
export interface OfferAccessTable {
  offer_id: number
  affiliate_id: number
  granted_at: number
}

export interface OfferAccessRequestsTable {
  id: Generated<number>
  offer_id: number
  affiliate_id: number
  state: AccessRequestState
  /** The affiliate's words when asking. */
  note: string | null
  /** The manager's words when deciding. */
  decision_note: string | null
  /** `user:<id>` or `key:<id>` of who decided. */
  decided_by: string | null
  decided_at: number | null
  created_at: number
  updated_at: number
}

/** One affiliate's own payout on an offer: for one goal, or `*` for every goal without its own. */
export interface OfferAffiliatePayoutsTable {
  id: Generated<number>
  offer_id: number
  affiliate_id: number
  goal: string
  /** Minor units when fixed; ten-thousandths of a percent when percent. */
  payout: number
  payout_type: PayoutType
  created_at: number
  updated_at: number
}

export interface OfferAccessTables {
  offer_access: OfferAccessTable
  offer_access_requests: OfferAccessRequestsTable
  offer_affiliate_payouts: OfferAffiliatePayoutsTable
}
