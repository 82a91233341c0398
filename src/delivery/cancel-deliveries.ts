import type { Db } from '../db/database.ts'

/**
 * Cancels an endpoint's pending deliveries, in the caller's transaction (the endpoint is being
 * deleted). They stay listed, as `cancelled`, for the history. An attempt in flight finishes and
 * is recorded; the worker claims nothing more for a deleted endpoint.
 */
export async function cancelDeliveries(tx: Db, endpointId: number, now: number): Promise<number> {
  const result = await tx
    .updateTable('deliveries')
    .set({ state: 'cancelled', run_at: null, updated_at: now })
    .where('postback_id', '=', endpointId)
    .where('state', '=', 'pending')
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
