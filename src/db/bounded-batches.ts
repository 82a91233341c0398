import { setTimeout as sleep } from 'node:timers/promises'

/** How a long delete is cut up: see `runBoundedBatches`. */
export interface BatchBounds {
  /** What one statement may take, in milliseconds (3 unless told). */
  targetMs?: number
  /** The size of the first batch (100 unless told), and the bounds of every later one. */
  firstRows?: number
  minRows?: number
  maxRows?: number
  /** The pause after a batch, as a multiple of its time: 4 leaves the writer to others 80 %. */
  pauseFactor?: number
  /** Asked before each batch: true ends the run early (the server is stopping). */
  stopped?: () => boolean
  /** The clock, in milliseconds; tests give one they move themselves. */
  now?: () => number
}

/**
 * Runs `step(rows)`, which deletes up to `rows` rows and returns how many it did, until one
 * takes fewer than asked. Each batch is sized from the last one's time so that a statement
 * holds the write lock about `targetMs` — on SQLite that lock is the one writer's, and the
 * statement also holds the event loop — and each is followed by a pause proportional to its
 * time, in which the click writer and postbacks take their turn. A fixed thousand rows was 20 ms
 * at best and 90 ms at worst on SQLite (random click ids spread a batch over the primary key's
 * pages); the rows one statement can delete in a few ms vary as much between machines.
 */
export async function runBoundedBatches(
  step: (rows: number) => Promise<number>,
  bounds: BatchBounds = {},
): Promise<number> {
  const {
    targetMs = 3,
    firstRows = 100,
    minRows = 10,
    maxRows = 5000,
    pauseFactor = 4,
    stopped = () => false,
    now = () => performance.now(),
  } = bounds
  let rows = firstRows
  let total = 0
  while (!stopped()) {
    const started = now()
    const deleted = await step(rows)
    const tookMs = now() - started
    total += deleted
    if (deleted < rows) break
    rows = nextBatchRows(rows, tookMs, targetMs, minRows, maxRows)
    await sleep(Math.max(1, tookMs * pauseFactor))
  }
  return total
}

/** Scales the batch towards the target time: at most twice as large, or a quarter, at a step. */
export function nextBatchRows(
  rows: number,
  tookMs: number,
  targetMs: number,
  minRows: number,
  maxRows: number,
): number {
  const scaled = rows * (targetMs / Math.max(tookMs, 0.01))
  const stepped = Math.min(rows * 2, Math.max(rows / 4, scaled))
  return Math.round(Math.min(maxRows, Math.max(minRows, stepped)))
}
