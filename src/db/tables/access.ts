import type { Generated } from 'kysely'

export type Role = 'admin' | 'manager' | 'analyst' | 'affiliate' | 'advertiser'

/** People who sign in to the console; API keys may belong to one. */
export interface UsersTable {
  id: Generated<number>
  /** Lower-cased, so one address is one account. */
  email: string
  name: string
  role: Role
  affiliate_id: number | null
  advertiser_id: number | null
  /** `scrypt$N$r$p$salt$hash`; null until the invite is accepted. */
  password_hash: string | null
  /** Base32 TOTP secret once two-factor is confirmed; the pending one until then. */
  totp_secret: string | null
  totp_pending_secret: string | null
  /** The time step of the last code used to sign in: a code works once. */
  totp_last_step: number | null
  /** JSON array of SHA-256 hashes of unused recovery codes. */
  recovery_codes: string | null
  disabled_at: number | null
  last_login_at: number | null
  created_at: number
  updated_at: number
}

export interface UserInvitesTable {
  token_hash: string
  user_id: number
  created_at: number
  expires_at: number
  used_at: number | null
}

/** Only the SHA-256 of a session id is stored: a read of this table opens no session. */
export interface SessionsTable {
  id_hash: string
  user_id: number
  ip: string
  created_at: number
  last_seen_at: number
  expires_at: number
}

export interface LoginFailuresTable {
  id: Generated<number>
  /** The lower-cased email tried. */
  account: string
  ip: string
  at: number
}

export interface AuditLogTable {
  id: Generated<number>
  at: number
  actor_type: 'user' | 'key'
  actor_id: string | null
  actor_name: string
  ip: string | null
  action: string
  entity: string
  entity_id: string
  /** JSON object: field → {from, to}. */
  changes: string
}

export interface AccessTables {
  users: UsersTable
  user_invites: UserInvitesTable
  sessions: SessionsTable
  login_failures: LoginFailuresTable
  audit_log: AuditLogTable
}
