import type { Db } from '../db/database.ts'
import { generateSecret, hashApiKey, secretsEqual } from '../shared/secrets.ts'

/** Who is calling the admin API. An affiliate key sees only that affiliate's data. */
export type Principal = { role: 'admin' } | { role: 'affiliate'; affiliateId: number }

/** Looks a presented key up by its hash; the configured admin key never touches the database. */
export async function authenticateKey(
  db: Db,
  presented: string,
  configuredAdminKey: string | undefined,
): Promise<Principal | undefined> {
  if (configuredAdminKey !== undefined && secretsEqual(presented, configuredAdminKey)) {
    return { role: 'admin' }
  }
  const hash = hashApiKey(presented)
  const row = await db
    .selectFrom('api_keys')
    .select(['role', 'affiliate_id', 'key_hash'])
    .where('key_hash', '=', hash)
    .executeTakeFirst()
  if (!row || !secretsEqual(row.key_hash, hash)) return undefined
  if (row.role === 'admin') return { role: 'admin' }
  return row.affiliate_id === null
    ? undefined
    : { role: 'affiliate', affiliateId: row.affiliate_id }
}

/** Stores a new key's hash and returns the key, which is never seen again after this call. */
export async function createApiKey(
  db: Db,
  owner: { role: 'admin' } | { role: 'affiliate'; affiliateId: number },
): Promise<string> {
  const key = generateSecret(owner.role === 'admin' ? 'bt_admin_' : 'bt_aff_')
  await db
    .insertInto('api_keys')
    .values({
      role: owner.role,
      affiliate_id: owner.role === 'affiliate' ? owner.affiliateId : null,
      key_hash: hashApiKey(key),
      created_at: Date.now(),
    })
    .execute()
  return key
}

/**
 * With no BACKTRACK_ADMIN_KEY and no stored admin key, makes one and returns it so start-up can
 * print it once. Returns undefined when an admin key already exists.
 */
export async function ensureAdminKey(
  db: Db,
  configuredAdminKey: string | undefined,
): Promise<string | undefined> {
  if (configuredAdminKey !== undefined) return undefined
  // Claiming a settings row first makes this once-only even when several processes start together.
  const claimed = await db
    .insertInto('settings')
    .values({ key: 'admin_key_generated_at', value: new Date().toISOString() })
    .onConflict((conflict) => conflict.column('key').doNothing())
    .returning('key')
    .executeTakeFirst()
  return claimed ? createApiKey(db, { role: 'admin' }) : undefined
}
