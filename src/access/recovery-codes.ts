import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../db/database.ts'

const COUNT = 10

function hashCode(code: string): string {
  return createHash('sha256').update(code.replace(/-/g, '').toLowerCase()).digest('hex')
}

/** Ten one-time codes for when the authenticator is lost; only their hashes are kept. */
export function generateRecoveryCodes(): { codes: string[]; stored: string } {
  const codes = Array.from({ length: COUNT }, () => {
    const hex = randomBytes(6).toString('hex')
    return `${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8)}`
  })
  return { codes, stored: JSON.stringify(codes.map(hashCode)) }
}

/**
 * Uses up a recovery code: the conditional update on the old list makes two sign-ins with one
 * code race to one winner.
 */
export async function useRecoveryCode(
  db: Db,
  userId: number,
  stored: string | null,
  code: string,
): Promise<boolean> {
  if (stored === null) return false
  const hashes = JSON.parse(stored) as string[]
  const hash = hashCode(code)
  if (!hashes.includes(hash)) return false
  const result = await db
    .updateTable('users')
    .set({ recovery_codes: JSON.stringify(hashes.filter((h) => h !== hash)) })
    .where('id', '=', userId)
    .where('recovery_codes', '=', stored)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}
