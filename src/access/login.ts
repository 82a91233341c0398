import type { Db } from '../db/database.ts'
import { AppError } from '../http/errors.ts'
import { checkLoginLimit, clearLoginFailures, recordLoginFailure } from './login-limit.ts'
import { verifyPassword } from './passwords.ts'
import { useRecoveryCode } from './recovery-codes.ts'
import { type SessionTimes, startSession } from './sessions.ts'
import { matchTotp } from './totp.ts'
import type { UserRow } from './users.ts'

export interface LoginInput {
  email: string
  password: string
  /** A TOTP code, or one of the recovery codes. */
  code?: string
}

/**
 * Checks a sign-in and starts a new session. Unknown email, wrong password and disabled user get
 * the same answer after the same scrypt run, so neither the answer nor its timing tells which.
 */
export async function login(
  db: Db,
  input: LoginInput,
  ip: string,
  times: SessionTimes,
): Promise<{ sessionId: string; user: UserRow }> {
  const account = input.email.trim().toLowerCase()
  await checkLoginLimit(db, account, ip)
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', account)
    .executeTakeFirst()
  const passwordOk = await verifyPassword(input.password, user?.password_hash ?? null)
  if (!user || !passwordOk || user.disabled_at !== null) {
    await recordLoginFailure(db, account, ip)
    throw new AppError('invalid_credentials', 'email or password is wrong')
  }
  if (user.totp_secret !== null) {
    if (input.code === undefined || input.code === '') {
      throw new AppError('code_required', 'two-factor is on: send the code from the authenticator')
    }
    const codeOk =
      (await useTotpCode(db, user.id, user.totp_secret, input.code)) ||
      (await useRecoveryCode(db, user.id, user.recovery_codes, input.code))
    if (!codeOk) {
      await recordLoginFailure(db, account, ip)
      throw new AppError('invalid_code', 'the two-factor code is wrong')
    }
  }
  await clearLoginFailures(db, account)
  const now = Date.now()
  await db.updateTable('users').set({ last_login_at: now }).where('id', '=', user.id).execute()
  const sessionId = await startSession(db, user.id, ip, times)
  return { sessionId, user: { ...user, last_login_at: now } }
}

// A code works once: one seen over the shoulder or phished cannot sign in a second time. The
// conditional update makes two sign-ins with one code race to one winner.
async function useTotpCode(db: Db, userId: number, secret: string, code: string) {
  const step = matchTotp(secret, code)
  if (step === undefined) return false
  const result = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}
