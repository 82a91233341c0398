import type { Db } from '../db/database.ts'
import { createApiKey } from './api-keys.ts'

/**
 * Replaces the stored bootstrap admin key with a new one and returns it, shown this once. Keys are
 * looked up per request, so the old ones stop working at once, in running servers too. The
 * settings row a first start claims is claimed here as well, so no later start makes another key.
 */
export async function rotateAdminKey(db: Db): Promise<string> {
  return db.transaction().execute(async (tx) => {
    const now = new Date().toISOString()
    await tx
      .insertInto('settings')
      .values({ key: 'admin_key_generated_at', value: now })
      .onConflict((conflict) => conflict.column('key').doUpdateSet({ value: now }))
      .execute()
    // Only the unnamed bootstrap key: named admin keys belong to people and scripts.
    await tx.deleteFrom('api_keys').where('role', '=', 'admin').where('name', 'is', null).execute()
    return createApiKey(tx, { role: 'admin' })
  })
}
