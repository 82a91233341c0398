import type { FastifyBaseLogger } from 'fastify'
import { type BatchBounds, runBoundedBatches } from '../db/bounded-batches.ts'
import type { Db } from '../db/database.ts'

const DAY_MS = 86_400_000
const EVERY_MS = 60_000
/** How far back a live-feed client can resume. */
export const LIVE_EVENTS_KEPT_MS = DAY_MS

/**
 * Deletes raw clicks older than the retention and live-feed events older than a day, in batches
 * of a few milliseconds each with pauses between (`runBoundedBatches`), so a large backlog never
 * holds the write lock for long. Rollups and conversions are kept. Returns how many clicks went.
 */
export async function purgeExpired(
  db: Db,
  retentionDays: number,
  now = Date.now(),
  bounds: BatchBounds = {},
): Promise<number> {
  const clickCutoff = now - retentionDays * DAY_MS
  const purged = await runBoundedBatches(async (rows) => {
    const result = await db
      .deleteFrom('clicks')
      .where('click_id', 'in', (eb) =>
        eb
          .selectFrom('clicks')
          .select('click_id')
          .where('created_at', '<', clickCutoff)
          .limit(rows),
      )
      .executeTakeFirst()
    return Number(result.numDeletedRows)
  }, bounds)
  await runBoundedBatches(async (rows) => {
    const result = await db
      .deleteFrom('live_events')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('live_events')
          .select('id')
          .where('created_at', '<', now - LIVE_EVENTS_KEPT_MS)
          .limit(rows),
      )
      .executeTakeFirst()
    return Number(result.numDeletedRows)
  }, bounds)
  return purged
}

/** Runs the purge once a minute in the background; stop() ends a run in progress after its batch. */
export function startRetention(db: Db, retentionDays: number, log: FastifyBaseLogger) {
  let running: Promise<void> = Promise.resolve()
  let stopped = false
  let busy = false
  const run = () => {
    // A first run over a large backlog outlasts the minute: the next one waits its turn.
    if (busy) return
    busy = true
    running = purgeExpired(db, retentionDays, Date.now(), { stopped: () => stopped })
      .then(
        (purged) => {
          if (purged > 0) log.info({ purged, retentionDays }, 'purged expired clicks')
        },
        (error: unknown) => log.error({ err: error }, 'click retention failed'),
      )
      .finally(() => {
        busy = false
      })
  }
  const timer = setInterval(run, EVERY_MS)
  timer.unref()
  run()
  return {
    async stop() {
      stopped = true
      clearInterval(timer)
      await running
    },
  }
}
