import type { Ddl } from '../ddl.ts'

/**
 * Offer access: an offer's visibility, the affiliates granted an `approval` or `private` offer,
 * their requests for access with the manager's decision, and payouts set for one affiliate.
 */
export function offerAccessMigration(t: Ddl): string[] {
  return [
    `alter table offers add column visibility text not null default 'public'`,
    `create table offer_access (
      offer_id ${t.bigint} not null references offers (id),
      affiliate_id ${t.bigint} not null references affiliates (id),
      granted_at ${t.bigint} not null,
      primary key (offer_id, affiliate_id)
    )`,
    `create index offer_access_affiliate on offer_access (affiliate_id)`,
    `create table offer_access_requests (
      id ${t.id},
      offer_id ${t.bigint} not null references offers (id),
      affiliate_id ${t.bigint} not null references affiliates (id),
      state text not null,
      note text,
      decision_note text,
      decided_by text,
      decided_at ${t.bigint},
      created_at ${t.bigint} not null,
      updated_at ${t.bigint} not null
    )`,
    // One open request per affiliate and offer: a second ask while one waits is refused.
    `create unique index offer_access_requests_pending on offer_access_requests (offer_id, affiliate_id) where state = 'pending'`,
    `create index offer_access_requests_affiliate on offer_access_requests (affiliate_id, id)`,
    `create index offer_access_requests_state on offer_access_requests (state, id)`,
    `create table offer_affiliate_payouts (
      id ${t.id},
      offer_id ${t.bigint} not null references offers (id),
      affiliate_id ${t.bigint} not null references affiliates (id),
      goal text not null,
      payout ${t.bigint} not null,
      payout_type text not null,
      created_at ${t.bigint} not null,
      updated_at ${t.bigint} not null,
      unique (offer_id, affiliate_id, goal)
    )`,
    `create index offer_affiliate_payouts_affiliate on offer_affiliate_payouts (affiliate_id)`,
  ]
}
