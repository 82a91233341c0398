/** A run of buckets of one length: those starting in [from, to). */
export interface BucketRun {
  bucketMs: number
  from: number
  to: number
}

/**
 * Covers [from, to) with as few aligned buckets as it can: the longest length for the middle,
 * shorter ones for the ends left over. `lengths` is ascending, each dividing the next, the
 * first dividing `from` and `to`. Buckets of a length that divides every boundary of a report's
 * time groups can never straddle one, so the caller passes only those.
 */
export function coverRange(from: number, to: number, lengths: readonly number[]): BucketRun[] {
  if (from >= to) return []
  const longest = lengths.at(-1)
  if (longest === undefined) throw new Error('coverRange needs at least one bucket length')
  const shorter = lengths.slice(0, -1)
  const start = Math.ceil(from / longest) * longest
  const end = Math.floor(to / longest) * longest
  if (shorter.length === 0) {
    if (start !== from || end !== to) throw new Error(`[${from}, ${to}) is not whole buckets`)
    return [{ bucketMs: longest, from, to }]
  }
  if (start >= end) return coverRange(from, to, shorter)
  return [
    ...coverRange(from, start, shorter),
    { bucketMs: longest, from: start, to: end },
    ...coverRange(end, to, shorter),
  ]
}
