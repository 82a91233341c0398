import type { Db } from '../db/database.ts'
import type { LiveEventKind } from '../db/tables/reports.ts'

export interface LiveEvent {
  kind: LiveEventKind
  affiliateId: number
  at: number
  /** What the feed shows; a `revenue` field is hidden from affiliate keys. */
  data: Record<string, unknown>
}

const ROWS_PER_STATEMENT = 200

/**
 * Appends events to the live feed in the caller's transaction, so the feed shows exactly what was
 * committed, in commit order per writer, and a client can resume from any event id.
 */
export async function recordLiveEvents(db: Db, events: readonly LiveEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += ROWS_PER_STATEMENT) {
    await db
      .insertInto('live_events')
      .values(
        events.slice(i, i + ROWS_PER_STATEMENT).map((event) => ({
          kind: event.kind,
          affiliate_id: event.affiliateId,
          payload: JSON.stringify(event.data),
          created_at: event.at,
        })),
      )
      .execute()
  }
}
