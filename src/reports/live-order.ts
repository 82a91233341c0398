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

/**
 * Event ids: a row's id, or `<row>-<n>` for the n-th click (from 0) of a `clicks` row, which
 * holds one affiliate's clicks of one batch. Clients resume by sending the last one back.
 */
export const EVENT_ID_PATTERN = '^\\d{1,15}(-\\d{1,6})?$'
const EVENT_ID = new RegExp(EVENT_ID_PATTERN)

/** Where a feed starts: after row `afterRow`, then leaving out the first events of one row. */
export interface ResumePoint {
  afterRow: number
  skip: { row: number; count: number } | undefined
}

export function clickEventId(row: number, index: number): string {
  return `${row}-${index}`
}

/** The point after an event id a client saw, or undefined for anything that is not one. */
export function resumePoint(eventId: string): ResumePoint | undefined {
  if (!EVENT_ID.test(eventId)) return undefined
  const [row, index] = eventId.split('-').map(Number) as [number, number | undefined]
  if (index === undefined) return { afterRow: row, skip: undefined }
  return { afterRow: row - 1, skip: { row, count: index + 1 } }
}
