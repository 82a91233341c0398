import { recordChange } from '../access/index.ts'
import { bumpCatalogRevision, type FraudRulesInput } from '../catalog/index.ts'
import type { Db } from '../db/database.ts'

const KEY = 'fraud_rules'

/** The network's default fraud rules (none set: every rule off). */
export async function readFraudDefaults(db: Db): Promise<FraudRulesInput> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', KEY)
    .executeTakeFirst()
  return row ? (JSON.parse(row.value) as FraudRulesInput) : {}
}

/** Replaces the network's default fraud rules; postbacks use them from the next commit on. */
export async function writeFraudDefaults(db: Db, rules: FraudRulesInput): Promise<FraudRulesInput> {
  await db.transaction().execute(async (tx) => {
    const before = await readFraudDefaults(tx)
    const value = JSON.stringify(rules)
    await tx
      .insertInto('settings')
      .values({ key: KEY, value })
      .onConflict((conflict) => conflict.column('key').doUpdateSet({ value }))
      .execute()
    await recordChange(tx, {
      action: 'update',
      entity: 'fraud_settings',
      entityId: KEY,
      before,
      after: rules,
    })
  })
  bumpCatalogRevision()
  return rules
}
