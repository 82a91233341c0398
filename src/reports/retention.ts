import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/database.ts'

const DAY_MS = 86_400_000
const BATCH = 1000
const PAUSE_MS = 20
const EVERY_MS = 60_000
/** How far back a live-feed client can resume. */
export const LIVE_EVENTS_KEPT_MS = DAY_MS

/**
 * Deletes raw clicks older than the retention and live-feed events older than a day, a thousand
 * rows per statement with a pause between, so a large backlog never holds the write lock for long.
 * Rollups and conversions are kept. Returns how many clicks went.
 */
export async function purgeExpired(
  db: Db,
  retentionDays: number,
  now = Date.now(),
): Promise<number> {
  const clickCutoff = now - retentionDays * DAY_MS
  let purged = 0
  for (;;) {
    const result = await db
      .deleteFrom('clicks')
      .where('click_id', 'in', (eb) =>
        eb
          .selectFrom('clicks')
          .select('click_id')
          .where('created_at', '<', clickCutoff)
          .limit(BATCH),
      )
      .executeTakeFirst()
    const deleted = Number(result.numDeletedRows)
    purged += deleted
    if (deleted < BATCH) break
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS))
  }
  await db
    .deleteFrom('live_events')
    .where('created_at', '<', now - LIVE_EVENTS_KEPT_MS)
    .execute()
  return purged
}

/** Runs the purge once a minute in the background; stop() waits for a run in progress. */
export function startRetention(db: Db, retentionDays: number, log: FastifyBaseLogger) {
  let running: Promise<void> = Promise.resolve()
  const run = () => {
    running = purgeExpired(db, retentionDays).then(
      (purged) => {
        if (purged > 0) log.info({ purged, retentionDays }, 'purged expired clicks')
      },
      (error: unknown) => log.error({ err: error }, 'click retention failed'),
    )
  }
  const timer = setInterval(run, EVERY_MS)
  timer.unref()
  run()
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
