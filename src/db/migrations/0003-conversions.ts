import type { Ddl } from '../ddl.ts'

/** Conversions with their status history, and the log of every inbound postback call. */
export function conversionsMigration(t: Ddl): string[] {
  return [
    `create table conversions (
      id ${t.id},
      click_id text not null,
      offer_id ${t.bigint} not null,
      affiliate_id ${t.bigint} not null,
      advertiser_id ${t.bigint} not null,
      goal text not null,
      txid text,
      once_per_click integer,
      status text not null,
      reason text,
      amount ${t.bigint},
      revenue ${t.bigint} not null,
      payout ${t.bigint} not null,
      currency text not null,
      sub1 text,
      sub2 text,
      sub3 text,
      sub4 text,
      sub5 text,
      source text,
      country text,
      device_type text,
      clicked_at ${t.bigint} not null,
      seconds_to_convert ${t.bigint} not null,
      created_at ${t.bigint} not null,
      updated_at ${t.bigint} not null
    )`,
    // Idempotency and dedup are constraints, so concurrent duplicates cannot both get in.
    `create unique index conversions_txid on conversions (offer_id, txid)`,
    `create unique index conversions_once_per_click on conversions (click_id, goal, once_per_click)`,
    // Few indexes: every one is written by every postback. Offer filters use conversions_txid's
    // prefix; lists walk ids newest first, and ids follow conversion time.
    `create index conversions_affiliate on conversions (affiliate_id, id)`,
    `create table conversion_history (
      id ${t.id},
      conversion_id ${t.bigint} not null references conversions (id),
      from_status text,
      to_status text not null,
      source text not null,
      reason text,
      created_at ${t.bigint} not null
    )`,
    `create index conversion_history_conversion on conversion_history (conversion_id)`,
    `create table postback_log (
      id ${t.id},
      created_at ${t.bigint} not null,
      method text not null,
      ip text not null,
      params text not null,
      auth text,
      http_status integer not null,
      result text not null,
      reason text,
      message text,
      conversion_id ${t.bigint},
      click_id text,
      offer_id ${t.bigint},
      advertiser_id ${t.bigint}
    )`,
    `create index postback_log_time on postback_log (created_at)`,
  ]
}
