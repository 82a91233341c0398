import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../db/database.ts'
import { AppError } from '../http/errors.ts'
import { formatId } from '../shared/ids.ts'
import { runAsCaller } from './audit-context.ts'
import { recordChange } from './audit-log.ts'
import { checkPasswordStrength, hashPassword } from './passwords.ts'
import { endUserSessions } from './sessions.ts'

export const INVITE_LIFETIME_MS = 72 * 3_600_000

export interface Invite {
  token: string
  url: string
  expiresAt: number
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** A new one-time invite for a user; any earlier unused one stops working. */
export async function createInvite(tx: Db, userId: number, publicUrl: string): Promise<Invite> {
  const token = randomBytes(32).toString('base64url')
  const now = Date.now()
  await tx
    .deleteFrom('user_invites')
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute()
  await tx
    .insertInto('user_invites')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      created_at: now,
      expires_at: now + INVITE_LIFETIME_MS,
      used_at: null,
    })
    .execute()
  return {
    token,
    url: `${publicUrl}/accept-invite#token=${token}`,
    expiresAt: now + INVITE_LIFETIME_MS,
  }
}

const invalid = () =>
  new AppError('invalid_token', 'the invite is not valid: used, replaced or expired', undefined, {
    status: 400,
  })

/**
 * Sets the password of the invited user and uses the invite up. The invite is claimed by a
 * conditional update inside the transaction, so two requests with one token cannot both succeed.
 * Every session of the user ends: after a reset, whoever had the old password is signed out.
 */
export async function acceptInvite(
  db: Db,
  token: string,
  password: string,
  ip: string,
): Promise<void> {
  const now = Date.now()
  const found = await db
    .selectFrom('user_invites')
    .innerJoin('users', 'users.id', 'user_invites.user_id')
    .select(['users.email', 'users.id', 'users.name'])
    .where('user_invites.token_hash', '=', hashToken(token))
    .where('user_invites.used_at', 'is', null)
    .where('user_invites.expires_at', '>', now)
    .executeTakeFirst()
  if (!found) throw invalid()
  checkPasswordStrength(password, found.email)
  const passwordHash = await hashPassword(password)
  // Public route, so no caller yet: the change is the invited user's own.
  const actor = { type: 'user' as const, id: formatId(found.id), name: found.name || found.email }
  await runAsCaller({ actor, ip }, () =>
    db.transaction().execute(async (tx) => {
      const claimed = await tx
        .updateTable('user_invites')
        .set({ used_at: Date.now() })
        .where('token_hash', '=', hashToken(token))
        .where('used_at', 'is', null)
        .where('expires_at', '>', Date.now())
        .returning('user_id')
        .executeTakeFirst()
      if (!claimed) throw invalid()
      await setPassword(tx, claimed.user_id, passwordHash)
    }),
  )
}

/** Stores a new password hash and ends every session of the user. */
export async function setPassword(tx: Db, userId: number, passwordHash: string): Promise<void> {
  await tx
    .updateTable('users')
    .set({ password_hash: passwordHash, updated_at: Date.now() })
    .where('id', '=', userId)
    .execute()
  await endUserSessions(tx, userId)
  await recordChange(tx, {
    action: 'set_password',
    entity: 'user',
    entityId: userId,
    before: { password: 'old' },
    after: { password: 'new' },
  })
}
