import type { Ddl } from '../ddl.ts'

/**
 * The advertiser's side of a conversion and of delivery: the revenue it reports and its own
 * values `adv1`…`adv5` on conversions, the warnings of an accepted call on its log line, and
 * outbound endpoints that belong to an advertiser or to the network, not only to an affiliate.
 */
export function advertiserSideMigration(t: Ddl): string[] {
  return [
    `alter table conversions add column reported_revenue ${t.bigint}`,
    ...[1, 2, 3, 4, 5].map((n) => `alter table conversions add column adv${n} text`),
    `alter table postback_log add column warnings text`,
    ...endpointOwners(t),
  ]
}

const ENDPOINT_COLUMNS = [
  'id',
  'affiliate_id',
  'offer_id',
  'url',
  'method',
  'body_template',
  'content_type',
  'goals',
  'statuses',
  'signing_secret',
  'created_at',
  'updated_at',
  'previous_signing_secret',
  'previous_secret_expires_at',
  'disabled_at',
  'deleted_at',
  'consecutive_failures',
  'failing_since',
  'circuit_open_until',
  'circuit_cooldown_ms',
].join(', ')

// An endpoint without affiliate and advertiser is the network's. PostgreSQL drops the not-null
// in place; SQLite cannot, so the table is rebuilt: copied aside, dropped and made again under
// its own name, which `deliveries` references. Foreign keys are checked at commit, by which time
// every delivery's endpoint is back.
function endpointOwners(t: Ddl): string[] {
  const owners = [
    `create index postbacks_advertiser on postbacks (advertiser_id)`,
    `create index postbacks_network on postbacks (id) where affiliate_id is null and advertiser_id is null`,
  ]
  if (t.engine === 'postgres') {
    return [
      `alter table postbacks alter column affiliate_id drop not null`,
      `alter table postbacks add column advertiser_id ${t.bigint} references advertisers (id)`,
      ...owners,
    ]
  }
  return [
    `pragma defer_foreign_keys = on`,
    `create table postbacks_copy as select * from postbacks`,
    `drop table postbacks`,
    `create table postbacks (
      id ${t.id},
      affiliate_id ${t.bigint} references affiliates (id),
      offer_id ${t.bigint} references offers (id),
      url text not null,
      method text not null,
      body_template text,
      content_type text,
      goals text,
      statuses text not null,
      signing_secret text,
      created_at ${t.bigint} not null,
      updated_at ${t.bigint} not null,
      previous_signing_secret text,
      previous_secret_expires_at ${t.bigint},
      disabled_at ${t.bigint},
      deleted_at ${t.bigint},
      consecutive_failures integer not null default 0,
      failing_since ${t.bigint},
      circuit_open_until ${t.bigint},
      circuit_cooldown_ms ${t.bigint},
      advertiser_id ${t.bigint} references advertisers (id)
    )`,
    `insert into postbacks (${ENDPOINT_COLUMNS}) select ${ENDPOINT_COLUMNS} from postbacks_copy`,
    `drop table postbacks_copy`,
    `create index postbacks_affiliate on postbacks (affiliate_id)`,
    ...owners,
  ]
}
