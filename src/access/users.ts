import type { Db } from '../db/database.ts'
import type { UsersTable } from '../db/tables/access.ts'
import { AppError } from '../http/errors.ts'
import { formatId, parseId } from '../shared/ids.ts'
import { recordChange } from './audit-log.ts'
import { createInvite, type Invite } from './invites.ts'
import type { Role } from './roles.ts'
import { endUserSessions } from './sessions.ts'

export type UserRow = Omit<UsersTable, 'id'> & { id: number }

export interface UserView {
  id: string
  email: string
  name: string
  role: Role
  affiliate_id: string | null
  advertiser_id: string | null
  disabled: boolean
  two_factor: boolean
  /** False until the invite is accepted. */
  has_password: boolean
  last_login_at: string | null
  created_at: string
  updated_at: string
}

export interface UserInput {
  email: string
  name?: string
  role: Role
  affiliate_id?: string
  advertiser_id?: string
}

export interface UserPatch {
  name?: string
  role?: Role
  affiliate_id?: string | null
  advertiser_id?: string | null
  disabled?: boolean
}

export function presentUser(row: UserRow): UserView {
  const iso = (ms: number) => new Date(ms).toISOString()
  return {
    id: formatId(row.id),
    email: row.email,
    name: row.name,
    role: row.role,
    affiliate_id: row.affiliate_id === null ? null : formatId(row.affiliate_id),
    advertiser_id: row.advertiser_id === null ? null : formatId(row.advertiser_id),
    disabled: row.disabled_at !== null,
    two_factor: row.totp_secret !== null,
    has_password: row.password_hash !== null,
    last_login_at: row.last_login_at === null ? null : iso(row.last_login_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  }
}

/** Creates a user and its first invite in one transaction. */
export async function createUser(
  db: Db,
  input: UserInput,
  publicUrl: string,
): Promise<{ user: UserView; invite: Invite }> {
  const email = input.email.trim().toLowerCase()
  const scope = await checkScope(db, input.role, input.affiliate_id, input.advertiser_id)
  const now = Date.now()
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('users')
      .values({
        email,
        name: input.name ?? '',
        role: input.role,
        ...scope,
        password_hash: null,
        totp_secret: null,
        totp_pending_secret: null,
        recovery_codes: null,
        totp_last_step: null,
        disabled_at: null,
        last_login_at: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((conflict) => conflict.column('email').doNothing())
      .returningAll()
      .executeTakeFirst()
    if (!row) throw new AppError('conflict', `a user with email ${email} exists already`)
    const user = presentUser(row)
    await recordChange(tx, { action: 'create', entity: 'user', entityId: row.id, after: user })
    return { user, invite: await createInvite(tx, row.id, publicUrl) }
  })
}

export async function listUsers(db: Db): Promise<UserView[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('id').execute()
  return rows.map(presentUser)
}

export async function findUser(db: Db, id: number): Promise<UserRow> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('not_found', `user ${id} not found`)
  return row
}

/** Changes a user; disabling one ends its sessions in the same transaction. */
export async function updateUser(db: Db, id: number, patch: UserPatch): Promise<UserView> {
  return db.transaction().execute(async (tx) => {
    const current = await findUser(tx, id)
    const role = patch.role ?? current.role
    const scope = await checkScope(
      tx,
      role,
      idText(patch.affiliate_id, current.affiliate_id),
      idText(patch.advertiser_id, current.advertiser_id),
    )
    const now = Date.now()
    const disabledAt =
      patch.disabled === undefined
        ? current.disabled_at
        : patch.disabled
          ? (current.disabled_at ?? now)
          : null
    const row = await tx
      .updateTable('users')
      .set({
        name: patch.name ?? current.name,
        role,
        ...scope,
        disabled_at: disabledAt,
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    if (disabledAt !== null) await endUserSessions(tx, id)
    const user = presentUser(row)
    await recordChange(tx, {
      action: 'update',
      entity: 'user',
      entityId: id,
      before: presentUser(current),
      after: user,
    })
    return user
  })
}

function idText(patched: string | null | undefined, current: number | null): string | undefined {
  if (patched === null) return undefined
  return patched ?? (current === null ? undefined : formatId(current))
}

// An affiliate user needs its affiliate and an advertiser user its advertiser; other roles have
// neither, so a promoted affiliate does not keep a stale scope.
async function checkScope(
  db: Db,
  role: Role,
  affiliateText: string | undefined,
  advertiserText: string | undefined,
): Promise<{ affiliate_id: number | null; advertiser_id: number | null }> {
  if (role === 'affiliate') {
    const id = parseId(affiliateText)
    const row = id
      ? await db.selectFrom('affiliates').select('id').where('id', '=', id).executeTakeFirst()
      : undefined
    if (!row)
      throw new AppError('unknown_affiliate', 'an affiliate user needs an existing affiliate_id')
    return { affiliate_id: row.id, advertiser_id: null }
  }
  if (role === 'advertiser') {
    const id = parseId(advertiserText)
    const row = id
      ? await db.selectFrom('advertisers').select('id').where('id', '=', id).executeTakeFirst()
      : undefined
    if (!row) {
      throw new AppError('unknown_advertiser', 'an advertiser user needs an existing advertiser_id')
    }
    return { affiliate_id: null, advertiser_id: row.id }
  }
  return { affiliate_id: null, advertiser_id: null }
}
