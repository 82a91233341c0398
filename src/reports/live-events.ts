import type { Db } from '../db/database.ts'
import { insertRows, type RowsInsert } from '../db/insert-rows.ts'
import type { LiveEventKind } from '../db/tables/reports.ts'

export type LiveEventData = Record<string, unknown>

export type LiveEvent =
  | {
      kind: Exclude<LiveEventKind, 'clicks'>
      affiliateId: number
      at: number
      /** What the feed shows; a `revenue` field is hidden from affiliate keys. */
      data: LiveEventData
    }
  | {
      /** Several clicks of one affiliate in one row; the feed sends each as a `click` event. */
      kind: 'clicks'
      affiliateId: number
      at: number
      data: readonly LiveEventData[]
    }

const EVENTS_INSERT: RowsInsert = {
  table: 'live_events',
  columns: ['kind', 'affiliate_id', 'payload', 'created_at'],
}

/**
 * Appends events to the live feed in the caller's transaction, so the feed shows exactly what was
 * committed, in commit order per writer, and a client can resume from any event id.
 */
export async function recordLiveEvents(db: Db, events: readonly LiveEvent[]): Promise<void> {
  if (events.length === 0) return
  await insertRows(
    db,
    EVENTS_INSERT,
    events.map((event) => [event.kind, event.affiliateId, JSON.stringify(event.data), event.at]),
  )
}
