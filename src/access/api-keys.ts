import type { Db } from '../db/database.ts'
import { generateSecret, hashApiKey, secretsEqual } from '../shared/secrets.ts'

/** Who is calling the admin API. An affiliate key sees only that affiliate's data. */
export type Principal = { role: 'admin' } | { role: 'affiliate'; affiliateId: number }

/**
 * Looks a presented key up by its hash; the configured admin key never touches the database and,
 * when set, is the only admin key. An affiliate key works only while its affiliate is active.
 */
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
    .leftJoin('affiliates', 'affiliates.id', 'api_keys.affiliate_id')
    .select(['api_keys.role', 'api_keys.affiliate_id', 'api_keys.key_hash', 'affiliates.status'])
    .where('api_keys.key_hash', '=', hash)
    .executeTakeFirst()
  if (!row || !secretsEqual(row.key_hash, hash)) return undefined
  if (row.role === 'admin') return configuredAdminKey === undefined ? { role: 'admin' } : undefined
  return row.affiliate_id === null || row.status !== 'active'
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

/** Replaces an affiliate's keys with a new one, returned once; the old keys stop at once. */
export async function replaceAffiliateKey(db: Db, affiliateId: number): Promise<string> {
  return db.transaction().execute(async (tx) => {
    await tx.deleteFrom('api_keys').where('affiliate_id', '=', affiliateId).execute()
    return createApiKey(tx, { role: 'affiliate', affiliateId })
  })
}

/**
 * With no BACKTRACK_ADMIN_KEY and no stored admin key, makes one and returns it so start-up can
 * print it once. Returns undefined when an admin key already exists. A configured key replaces a
 * generated one: the stored admin keys are deleted, and unsetting the variable later makes anew.
 */
export async function ensureAdminKey(
  db: Db,
  configuredAdminKey: string | undefined,
): Promise<string | undefined> {
  if (configuredAdminKey !== undefined) {
    await db.transaction().execute(async (tx) => {
      await tx.deleteFrom('api_keys').where('role', '=', 'admin').execute()
      await tx.deleteFrom('settings').where('key', '=', 'admin_key_generated_at').execute()
    })
    return undefined
  }
  // Claiming a settings row first makes this once-only even when several processes start together.
  const claimed = await db
    .insertInto('settings')
    .values({ key: 'admin_key_generated_at', value: new Date().toISOString() })
    .onConflict((conflict) => conflict.column('key').doNothing())
    .returning('key')
    .executeTakeFirst()
  return claimed ? createApiKey(db, { role: 'admin' }) : undefined
}
