import type { Ddl } from '../ddl.ts'

/** Settings, API keys and the catalog: advertisers, offers with goals, affiliates, postbacks. */
export function catalogMigration(t: Ddl): string[] {
  return [
    `create table settings (key text primary key, value text not null)`,
    `create table affiliates (
      id ${t.id},
      name text not null,
      status text not null,
      created_at ${t.bigint} not null,
      updated_at ${t.bigint} not null
    )`,
    `create table api_keys (
      id ${t.id},
      role text not null,
      affiliate_id ${t.bigint} references affiliates (id),
      key_hash text not null unique,
      created_at ${t.bigint} not null
    )`,
    `create table advertisers (
      id ${t.id},
      name text not null,
      postback_token text not null unique,
      postback_ip_allowlist text not null,
      created_at ${t.bigint} not null,
      updated_at ${t.bigint} not null
    )`,
    `create table offers (
      id ${t.id},
      advertiser_id ${t.bigint} not null references advertisers (id),
      name text not null,
      destination_url text not null,
      fallback_url text,
      status text not null,
      currency text not null,
      revenue ${t.bigint} not null,
      revenue_type text not null,
      payout ${t.bigint} not null,
      payout_type text not null,
      conversion_window_days integer not null,
      created_at ${t.bigint} not null,
      updated_at ${t.bigint} not null
    )`,
    `create index offers_advertiser on offers (advertiser_id)`,
    `create table offer_goals (
      id ${t.id},
      offer_id ${t.bigint} not null references offers (id),
      key text not null,
      name text not null,
      revenue ${t.bigint} not null,
      revenue_type text not null,
      payout ${t.bigint} not null,
      payout_type text not null,
      allow_multiple integer not null,
      unique (offer_id, key)
    )`,
    `create table postbacks (
      id ${t.id},
      affiliate_id ${t.bigint} not null references affiliates (id),
      offer_id ${t.bigint} references offers (id),
      url text not null,
      method text not null,
      body_template text,
      content_type text,
      goals text,
      statuses text not null,
      signing_secret text,
      created_at ${t.bigint} not null,
      updated_at ${t.bigint} not null
    )`,
    `create index postbacks_affiliate on postbacks (affiliate_id)`,
  ]
}
