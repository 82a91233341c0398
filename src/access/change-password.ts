import type { Db } from '../db/database.ts'
import { AppError } from '../http/errors.ts'
import { setPassword } from './invites.ts'
import { checkLoginLimit, recordLoginFailure } from './login-limit.ts'
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts'
import { findUser } from './users.ts'

/**
 * A signed-in user's new password, given the current one. Every session of the user ends, this
 * one too: whoever else knew the old password is signed out, and the user signs in again. Wrong
 * current passwords count towards the sign-in limit, so a borrowed session cannot guess it.
 */
export async function changePassword(
  db: Db,
  userId: number,
  input: { current_password: string; new_password: string },
  ip: string,
): Promise<void> {
  const user = await findUser(db, userId)
  await checkLoginLimit(db, user.email, ip)
  if (!(await verifyPassword(input.current_password, user.password_hash))) {
    await recordLoginFailure(db, user.email, ip)
    throw new AppError('validation_failed', 'current_password is wrong', [
      { field: 'current_password', message: 'is wrong' },
    ])
  }
  checkPasswordStrength(input.new_password, user.email)
  const hash = await hashPassword(input.new_password)
  await db.transaction().execute((tx) => setPassword(tx, userId, hash))
}
