import type { DatabaseConfig } from '../config.ts'
import { canConnectAgain, type Db } from '../db/database.ts'
import { storageOf } from '../db/storage.ts'
import { loadClickSecret } from './click-secret.ts'
import { type ClickStore, inProcessClickStore, threadedClickStore } from './click-store.ts'
import { ClickWriter, type ClickWriterOptions } from './click-writer.ts'
import { RecentVisitors } from './recent-visitors.ts'
import type { ClickTracker } from './track-click.ts'
import { TrackingCatalog } from './tracking-catalog.ts'
import { replayUnwrittenClicks } from './unwritten-clicks.ts'

export interface ClickLog {
  error(object: object, message: string): void
  info(object: object, message: string): void
}

/** What the tracking link runs on, started with the server and stopped after it. */
export interface ClickTracking extends ClickTracker {
  /** Where background errors go once the app's logger exists (stderr before that). */
  useLogger(log: ClickLog): void
  /** Stops watching the catalog and writes every queued click. */
  stop(): Promise<void>
}

export interface ClickTrackingOptions extends ClickWriterOptions {
  /**
   * The database once more, for the writer's own thread and connection (see
   * `threadedClickStore`); without it (or for an in-memory SQLite database, which one connection
   * alone can see) clicks are committed on the event loop through `db`.
   */
  storeThread?: DatabaseConfig
}

/** Loads the click secret and the catalog and starts the group-commit click writer. */
export async function startClickTracking(
  db: Db,
  options: ClickTrackingOptions = {},
): Promise<ClickTracking> {
  // Until the app's logger exists, everything goes to stderr, apart from the listening line.
  const log: ClickLog = {
    error: (object, message) => console.error(message, object),
    info: (object, message) => console.error(message, object),
  }
  const secret = await loadClickSecret(db)
  const catalog = new TrackingCatalog(db, log)
  await catalog.start()
  const thread = options.storeThread
  const store = watched(
    thread && canConnectAgain(thread) ? threadedClickStore(thread) : inProcessClickStore(db),
    storageOf(db),
  )
  if (options.unwrittenClicksPath !== undefined) {
    await replayUnwrittenClicks(options.unwrittenClicksPath, store, log)
  }
  const writer = new ClickWriter(store, log, options)
  catalog.caps.useSequence({ added: () => writer.added, settled: () => writer.settled })
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

/**
 * The store thread has a connection of its own: its failed and successful commits are told to
 * the server's storage too, so that /healthz says the clicks are not being stored.
 */
function watched(store: ClickStore, storage: ReturnType<typeof storageOf>): ClickStore {
  return {
    async store(clicks) {
      try {
        await store.store(clicks)
        storage.health.succeeded()
      } catch (error) {
        storage.health.failed(error)
        throw error
      }
    },
    close: () => store.close(),
  }
}
