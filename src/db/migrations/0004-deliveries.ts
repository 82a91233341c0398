import type { Ddl } from '../ddl.ts'

/** The delivery outbox, its attempts, and endpoint health and secret rotation on postbacks. */
export function deliveriesMigration(t: Ddl): string[] {
  return [
    `create table deliveries (
      id ${t.id},
      postback_id ${t.bigint} not null references postbacks (id),
      conversion_id ${t.bigint} not null,
      change_id ${t.bigint} not null,
      event_id text not null unique,
      state text not null,
      method text not null,
      url text not null,
      body text,
      content_type text,
      occurred_at ${t.bigint} not null,
      run_at ${t.bigint},
      step integer not null,
      attempt_count integer not null,
      locked_by text,
      locked_until ${t.bigint},
      created_at ${t.bigint} not null,
      updated_at ${t.bigint} not null
    )`,
    `create index deliveries_due on deliveries (run_at) where state = 'pending'`,
    `create index deliveries_postback on deliveries (postback_id, id)`,
    `create index deliveries_conversion on deliveries (conversion_id)`,
    `create table delivery_attempts (
      id ${t.id},
      delivery_id ${t.bigint} not null references deliveries (id),
      at ${t.bigint} not null,
      status_code integer,
      duration_ms integer not null,
      error text,
      response_body text
    )`,
    `create index delivery_attempts_delivery on delivery_attempts (delivery_id)`,
    `alter table postbacks add column previous_signing_secret text`,
    `alter table postbacks add column previous_secret_expires_at ${t.bigint}`,
    `alter table postbacks add column disabled_at ${t.bigint}`,
    `alter table postbacks add column deleted_at ${t.bigint}`,
    `alter table postbacks add column consecutive_failures integer not null default 0`,
    `alter table postbacks add column failing_since ${t.bigint}`,
    `alter table postbacks add column circuit_open_until ${t.bigint}`,
    `alter table postbacks add column circuit_cooldown_ms ${t.bigint}`,
  ]
}
