import type { Db } from '../db/database.ts'
import { enqueueDeliveries } from '../delivery/index.ts'
import type { ConversionEffects } from './conversion-effects.ts'
import { conversionEvent } from './conversion-event.ts'
import type { ConversionStatus } from './conversion-status.ts'
import { type ConversionRow, insertHistory } from './conversion-store.ts'

export interface StatusChange {
  to: ConversionStatus
  source: 'postback' | 'api'
  reason: string | null
  at: number
}

/**
 * Moves a conversion from the status it was read with to `change.to`, keeps a history row and
 * queues its postbacks, all in the caller's transaction. The update is a compare-and-set on the
 * old status, so of two concurrent changes one wins; the loser gets undefined and re-reads.
 * The reports' rollups and live feed hear of it through `effects`.
 */
export async function changeStatus(
  tx: Db,
  effects: ConversionEffects,
  row: ConversionRow,
  change: StatusChange,
): Promise<ConversionRow | undefined> {
  const updated = await tx
    .updateTable('conversions')
    .set({ status: change.to, reason: change.reason, updated_at: change.at })
    .where('id', '=', row.id)
    .where('status', '=', row.status)
    .returningAll()
    .executeTakeFirst()
  if (!updated) return undefined
  const changeId = await insertHistory(tx, {
    conversion_id: row.id,
    from_status: row.status,
    to_status: change.to,
    source: change.source,
    reason: change.reason,
    created_at: change.at,
  })
  await enqueueDeliveries(tx, conversionEvent(updated, changeId, change.at))
  effects.changed(updated, row.status, change.at, row.reason)
  return updated
}
