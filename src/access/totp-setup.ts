import type { Db } from '../db/database.ts'
import { AppError } from '../http/errors.ts'
import { recordChange } from './audit-log.ts'
import { generateRecoveryCodes } from './recovery-codes.ts'
import { STAFF } from './roles.ts'
import { generateTotpSecret, otpauthUrl, verifyTotp } from './totp.ts'
import { findUser } from './users.ts'

/** A pending secret: two-factor is on only once a code from it is confirmed. */
export async function startTotpSetup(db: Db, userId: number) {
  const user = await findUser(db, userId)
  if (user.totp_secret !== null) {
    throw new AppError('conflict', 'two-factor is on already; turn it off first to change it')
  }
  const secret = generateTotpSecret()
  await db
    .updateTable('users')
    .set({ totp_pending_secret: secret })
    .where('id', '=', userId)
    .execute()
  return { secret, otpauth_url: otpauthUrl(secret, user.email) }
}

/** Turns two-factor on with a code from the pending secret; returns the one-time recovery codes. */
export async function confirmTotp(db: Db, userId: number, code: string): Promise<string[]> {
  const user = await findUser(db, userId)
  const pending = user.totp_pending_secret
  if (pending === null) throw new AppError('conflict', 'start with POST /api/v1/me/totp')
  if (!verifyTotp(pending, code)) {
    throw new AppError('invalid_code', 'the code is wrong', undefined, { status: 400 })
  }
  const { codes, stored } = generateRecoveryCodes()
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({
        totp_secret: pending,
        totp_pending_secret: null,
        recovery_codes: stored,
        totp_last_step: null,
      })
      .where('id', '=', userId)
      .execute()
    await recordChange(tx, {
      action: 'update',
      entity: 'user',
      entityId: userId,
      before: { two_factor: false },
      after: { two_factor: true },
    })
  })
  return codes
}

export async function disableTotp(db: Db, userId: number, require2fa: 'off' | 'staff') {
  const user = await findUser(db, userId)
  if (require2fa === 'staff' && STAFF.includes(user.role)) {
    throw new AppError('forbidden', 'two-factor is required for your role')
  }
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({ totp_secret: null, totp_pending_secret: null, recovery_codes: null })
      .where('id', '=', userId)
      .execute()
    await recordChange(tx, {
      action: 'update',
      entity: 'user',
      entityId: userId,
      before: { two_factor: user.totp_secret !== null },
      after: { two_factor: false },
    })
  })
}
