import type { Db } from '../db/database.ts'
import { AppError } from '../http/errors.ts'

// Five wrong passwords per account in 15 minutes, and twenty per address (an office behind one
// NAT shares it, so it gets more room than one account). A success clears the account's count.
export const LOGIN_WINDOW_MS = 15 * 60_000
export const MAX_FAILURES_PER_ACCOUNT = 5
export const MAX_FAILURES_PER_IP = 20

/** Answers 429 with Retry-After while either the account or the address is over its limit. */
export async function checkLoginLimit(db: Db, account: string, ip: string): Promise<void> {
  const now = Date.now()
  const since = now - LOGIN_WINDOW_MS
  const limits = [
    { column: 'account', value: account, max: MAX_FAILURES_PER_ACCOUNT },
    { column: 'ip', value: ip, max: MAX_FAILURES_PER_IP },
  ] as const
  for (const limit of limits) {
    const recent = await db
      .selectFrom('login_failures')
      .select('at')
      .where(limit.column, '=', limit.value)
      .where('at', '>', since)
      .orderBy('at', 'desc')
      .limit(limit.max)
      .execute()
    const oldest = recent.at(-1)
    if (recent.length >= limit.max && oldest) {
      const seconds = Math.max(1, Math.ceil((oldest.at + LOGIN_WINDOW_MS - now) / 1000))
      throw new AppError(
        'too_many_attempts',
        'too many failed sign-ins; try again later',
        undefined,
        {
          headers: { 'retry-after': String(seconds) },
        },
      )
    }
  }
}

export async function recordLoginFailure(db: Db, account: string, ip: string): Promise<void> {
  const now = Date.now()
  await db.insertInto('login_failures').values({ account, ip, at: now }).execute()
  // Rows outside the window count for nothing; each failure sweeps them away.
  await db
    .deleteFrom('login_failures')
    .where('at', '<=', now - LOGIN_WINDOW_MS)
    .execute()
}

export async function clearLoginFailures(db: Db, account: string): Promise<void> {
  await db.deleteFrom('login_failures').where('account', '=', account).execute()
}
