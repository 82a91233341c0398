import { describe, expect, it } from 'vitest'
import { nextBatchRows, runBoundedBatches } from '../../src/db/bounded-batches.ts'

/** A table of `rows` rows whose deletes cost `msPerRow` each on a clock the test moves. */
function table(rows: number, msPerRow: (batch: number) => number) {
  let clock = 0
  const batches: Array<{ rows: number; ms: number }> = []
  return {
    batches,
    now: () => clock,
    step: async (limit: number) => {
      const deleted = Math.min(limit, rows)
      rows -= deleted
      const ms = deleted * msPerRow(batches.length)
      clock += ms
      batches.push({ rows: limit, ms })
      return deleted
    },
  }
}

describe('runBoundedBatches', () => {
  it('sizes each batch so a statement takes about the target time', async () => {
    // 0.05 ms a row: 60 rows make the 3 ms target.
    const t = table(3000, () => 0.05)
    expect(await runBoundedBatches(t.step, { now: t.now })).toBe(3000)
    expect(t.batches[0]).toEqual({ rows: 100, ms: 5 })
    for (const batch of t.batches.slice(1, -1)) {
      expect(batch.rows).toBe(60)
      expect(batch.ms).toBeCloseTo(3)
    }
  })

  it('grows batches at most twofold while statements are fast, up to the largest size', async () => {
    const t = table(100_000, () => 0.0001)
    await runBoundedBatches(t.step, { now: t.now, maxRows: 5000 })
    expect(t.batches.slice(0, 7).map((batch) => batch.rows)).toEqual([
      100, 200, 400, 800, 1600, 3200, 5000,
    ])
  })

  it('shrinks at once when the database slows down, never below the smallest size', async () => {
    // The third statement onwards is forty times slower (a checkpoint, a busy disk).
    const t = table(10_000, (index) => (index < 2 ? 0.03 : 1.2))
    await runBoundedBatches(t.step, {
      now: t.now,
      minRows: 10,
      stopped: () => t.batches.length >= 10,
    })
    const sizes = t.batches.map((batch) => batch.rows)
    expect(sizes.slice(0, 3)).toEqual([100, 100, 100])
    expect(sizes[3]).toBe(25) // a quarter at most per step
    expect(sizes.slice(5, 10)).toEqual([10, 10, 10, 10, 10])
  })

  it('ends at the first batch that deletes fewer rows than asked', async () => {
    const t = table(250, () => 0.01)
    expect(await runBoundedBatches(t.step, { now: t.now })).toBe(250)
    expect(t.batches.map((batch) => batch.rows)).toEqual([100, 200])
  })

  it('runs no further batch once stopped', async () => {
    const t = table(10_000, () => 0.01)
    let stop = false
    const run = runBoundedBatches(
      async (rows) => {
        stop = true
        return t.step(rows)
      },
      { now: t.now, stopped: () => stop },
    )
    expect(await run).toBe(100)
    expect(t.batches).toHaveLength(1)
  })
})

describe('nextBatchRows', () => {
  it('keeps the size when the statement took the target time', () => {
    expect(nextBatchRows(300, 3, 3, 10, 5000)).toBe(300)
  })

  it('survives a statement that took no measurable time', () => {
    expect(nextBatchRows(300, 0, 3, 10, 5000)).toBe(600)
  })
})
