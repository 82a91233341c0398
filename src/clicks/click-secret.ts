import { randomBytes } from 'node:crypto'
import type { Db } from '../db/database.ts'

const SETTING_KEY = 'click_id_secret'

/**
 * The server secret that click ids are MACed under, made from the CSPRNG on first use. Insert-or-
 * ignore then read back, so several processes starting together on one PostgreSQL agree on one.
 */
export async function loadClickSecret(db: Db): Promise<Buffer> {
  await db
    .insertInto('settings')
    .values({ key: SETTING_KEY, value: randomBytes(32).toString('base64url') })
    .onConflict((conflict) => conflict.column('key').doNothing())
    .execute()
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', SETTING_KEY)
    .executeTakeFirstOrThrow()
  return Buffer.from(row.value, 'base64url')
}
