import { runBoundedBatches } from '../db/bounded-batches.ts'
import type { Db } from '../db/database.ts'
import type { BackgroundService } from '../main.ts'
import { pruneCounters } from './conversion-counters.ts'
import { prunePostbackLog } from './postback-log.ts'

const DAY_MS = 86_400_000
const EVERY_MS = 10 * 60_000
const FIRST_RUN_MS = 5_000

/**
 * Deletes postback log lines older than the retention, in batches of a few milliseconds each
 * (`runBoundedBatches`), so no delete holds the database for long (SQLite has one writer), and the
 * counter rows of caps and fraud rules whose window is over. Runs shortly after start, then every
 * ten minutes; `retentionDays` 0 keeps the log forever.
 */
export function startPostbackLogPruner(
  db: Db,
  retentionDays: number,
  onError: (error: unknown) => void,
): BackgroundService {
  let stopped = false
  let running: Promise<void> = Promise.resolve()
  const run = () => {
    const log =
      retentionDays > 0 ? pruneAll(db, Date.now() - retentionDays * DAY_MS, () => stopped) : 0
    running = Promise.all([log, pruneCounters(db, Date.now())]).then(() => {}, onError)
  }
  const first = setTimeout(run, FIRST_RUN_MS)
  const timer = setInterval(run, EVERY_MS)
  first.unref()
  timer.unref()
  return {
    stop: async () => {
      stopped = true
      clearTimeout(first)
      clearInterval(timer)
      await running
    },
  }
}

/** Prunes batch after batch until nothing old is left (or the service stops); returns the count. */
export function pruneAll(db: Db, before: number, stopped: () => boolean): Promise<number> {
  return runBoundedBatches((rows) => prunePostbackLog(db, before, rows), { stopped })
}
