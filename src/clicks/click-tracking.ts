import type { Db } from '../db/database.ts'
import { loadClickSecret } from './click-secret.ts'
import { ClickWriter, type ClickWriterOptions } from './click-writer.ts'
import { RecentVisitors } from './recent-visitors.ts'
import type { ClickTracker } from './track-click.ts'
import { TrackingCatalog } from './tracking-catalog.ts'

export interface ClickLog {
  error(object: object, message: string): void
}

/** What the tracking link runs on, started with the server and stopped after it. */
export interface ClickTracking extends ClickTracker {
  /** Where background errors go once the app's logger exists (stderr before that). */
  useLogger(log: ClickLog): void
  /** Stops watching the catalog and writes every queued click. */
  stop(): Promise<void>
}

/** Loads the click secret and the catalog and starts the group-commit click writer. */
export async function startClickTracking(
  db: Db,
  options: ClickWriterOptions = {},
): Promise<ClickTracking> {
  const log: ClickLog = {
    error: (object, message) => console.error(message, object),
  }
  const secret = await loadClickSecret(db)
  const catalog = new TrackingCatalog(db, log)
  await catalog.start()
  const writer = new ClickWriter(db, log, options)
  return {
    secret,
    catalog,
    writer,
    visitors: new RecentVisitors(),
    useLogger(next) {
      catalog.log = next
      writer.log = next
    },
    async stop() {
      catalog.stop()
      await writer.stop()
    },
  }
}
