import type { Ddl } from '../ddl.ts'

/**
 * People: users with a role, one-time invites, server-side sessions, login failures for the
 * brute-force limit, named API keys owned by a user, and the audit log of changes.
 */
export function accountsMigration(t: Ddl): string[] {
  return [
    `create table users (
      id ${t.id},
      email text not null unique,
      name text not null,
      role text not null,
      affiliate_id ${t.bigint} references affiliates (id),
      advertiser_id ${t.bigint} references advertisers (id),
      password_hash text,
      totp_secret text,
      totp_pending_secret text,
      recovery_codes text,
      totp_last_step ${t.bigint},
      disabled_at ${t.bigint},
      last_login_at ${t.bigint},
      created_at ${t.bigint} not null,
      updated_at ${t.bigint} not null
    )`,
    `create table user_invites (
      token_hash text primary key,
      user_id ${t.bigint} not null references users (id),
      created_at ${t.bigint} not null,
      expires_at ${t.bigint} not null,
      used_at ${t.bigint}
    )`,
    `create index user_invites_user on user_invites (user_id)`,
    `create table sessions (
      id_hash text primary key,
      user_id ${t.bigint} not null references users (id),
      ip text not null,
      created_at ${t.bigint} not null,
      last_seen_at ${t.bigint} not null,
      expires_at ${t.bigint} not null
    )`,
    `create index sessions_user on sessions (user_id)`,
    `create table login_failures (
      id ${t.id},
      account text not null,
      ip text not null,
      at ${t.bigint} not null
    )`,
    `create index login_failures_account on login_failures (account, at)`,
    `create index login_failures_ip on login_failures (ip, at)`,
    `alter table api_keys add column name text`,
    `alter table api_keys add column user_id ${t.bigint} references users (id)`,
    `alter table api_keys add column advertiser_id ${t.bigint} references advertisers (id)`,
    `alter table api_keys add column created_by text`,
    `alter table api_keys add column last_used_at ${t.bigint}`,
    `create table audit_log (
      id ${t.id},
      at ${t.bigint} not null,
      actor_type text not null,
      actor_id text,
      actor_name text not null,
      ip text,
      action text not null,
      entity text not null,
      entity_id text not null,
      changes text not null
    )`,
    `create index audit_log_entity on audit_log (entity, entity_id, id)`,
    `create index audit_log_actor on audit_log (actor_type, actor_id, id)`,
    `create index audit_log_at on audit_log (at)`,
  ]
}
