import { describe, expect, it } from 'vitest'
import { coverRange } from '../../src/reports/cover-range.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const LENGTHS = [HOUR, 4 * HOUR, DAY, 4 * DAY, 16 * DAY]

describe('coverRange', () => {
  it('tiles any range of whole hours exactly with aligned buckets, longest in the middle', () => {
    let seed = 11
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return Math.floor((seed / 2 ** 31) * n)
    }
    const base = Date.UTC(2026, 0, 1)
    for (let i = 0; i < 2000; i++) {
      const from = base + random(24 * 200) * HOUR
      const to = from + (1 + random(24 * 120)) * HOUR
      const runs = coverRange(from, to, LENGTHS)
      let at = from
      for (const run of runs) {
        expect(run.from).toBe(at)
        expect(run.from % run.bucketMs).toBe(0)
        expect(run.to % run.bucketMs).toBe(0)
        expect(run.to).toBeGreaterThan(run.from)
        at = run.to
      }
      expect(at).toBe(to)
      // Going out from the middle, each end steps down: never more than ratio − 1 of a length.
      const buckets = runs.reduce((n, run) => n + (run.to - run.from) / run.bucketMs, 0)
      expect(buckets).toBeLessThanOrEqual(2 * (3 + 5 + 3 + 3) + Math.ceil(120 / 16))
    }
  })

  it('reads a 30-day month of New York days in summer as 4-hour ends around longer middles', () => {
    // 2026-06-01 to 2026-07-01 in New York (UTC−4): 04:00 UTC to 04:00 UTC.
    const from = Date.UTC(2026, 5, 1, 4)
    const to = Date.UTC(2026, 6, 1, 4)
    const runs = coverRange(from, to, LENGTHS)
    // June 2 is epoch day 20606; 20608 starts a 16-day bucket, 20624 and 20628 4-day ones.
    expect(runs.map((run) => [run.bucketMs / HOUR, (run.to - run.from) / run.bucketMs])).toEqual([
      [4, 5],
      [24, 2],
      [384, 1],
      [96, 2],
      [24, 3],
      [4, 1],
    ])
  })

  it('uses the lengths it is given only, so by-day reports can leave out those that straddle days', () => {
    const from = Date.UTC(2026, 10, 1, 5)
    const to = Date.UTC(2026, 10, 3, 5)
    expect(coverRange(from, to, [HOUR])).toEqual([{ bucketMs: HOUR, from, to }])
    expect(() => coverRange(from + 1, to, [HOUR])).toThrow(/whole buckets/)
  })
})
