/**
 * Ids come from one sequence, but on PostgreSQL transactions can commit out of id order: id 11
 * may be visible while id 10 is still being written. Reading past such a gap would skip 10 for
 * good, so the feed stops at a gap until it fills or is older than `GAP_WAIT_MS` (a rolled-back
 * transaction leaves a gap that never fills).
 */
export const GAP_WAIT_MS = 2000

export interface FeedCursor {
  last: number
  /** When the gap after `last` was first seen, or undefined when there is none. */
  gapSince: number | undefined
}

/** The rows (sorted by id, all with id > cursor.last) that can be sent now, and the new cursor. */
export function takeInOrder<R extends { id: number }>(
  rows: readonly R[],
  cursor: FeedCursor,
  now: number,
): { ready: R[]; cursor: FeedCursor } {
  const ready: R[] = []
  let { last, gapSince } = cursor
  for (const row of rows) {
    if (row.id !== last + 1) {
      gapSince ??= now
      if (now - gapSince < GAP_WAIT_MS) break
    }
    ready.push(row)
    last = row.id
    gapSince = undefined
  }
  return { ready, cursor: { last, gapSince: ready.length === rows.length ? undefined : gapSince } }
}
