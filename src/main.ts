import { ensureAdminKey } from './access/index.ts'
import { startClickTracking } from './clicks/index.ts'
import type { Config } from './config.ts'
import { startPostbackLogPruner } from './conversions/index.ts'
import { type Database, openDatabase } from './db/database.ts'
import { migrateToLatest } from './db/migrate.ts'
import { DeliveryWorker } from './delivery/index.ts'
import { type App, type AppOptions, buildApp } from './http/app.ts'
import { createMetrics } from './http/metrics.ts'
import { startRetention } from './reports/index.ts'

export interface RunningServer {
  app: App
  database: Database
  /** Base URL the server answers on, e.g. http://127.0.0.1:8080. */
  url: string
  /** Stops accepting, finishes in-flight requests, then closes the database. */
  close(): Promise<void>
}

/** Something started with the server that must finish its work before the database closes. */
export interface BackgroundService {
  stop(): Promise<void>
}

export interface StartOptions extends AppOptions {
  /** Where start-up messages meant for a person go (the generated admin key, the listen line). */
  print?: (line: string) => void
}

/** Start-up: config → database (migrated) → admin key → HTTP server. */
export async function startServer(
  config: Config,
  options: StartOptions = {},
): Promise<RunningServer> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`))
  const database = openDatabase(config.database)
  // Work that runs beside the HTTP server (click writer, delivery worker, pruning); stopped in
  // reverse order after the server has finished its in-flight requests.
  const background: BackgroundService[] = []
  try {
    await migrateToLatest(database.db, database.engine)
    const generated = await ensureAdminKey(database.db, config.adminKey)
    if (generated) {
      print(`admin key (shown once, stored hashed; keep it safe): ${generated}`)
    }
    const clicks = await startClickTracking(database.db, { storeThread: config.database })
    background.push(clicks)
    const metrics = createMetrics()
    const app = await buildApp({ config, database, metrics, clicks }, options)
    background.push(
      new DeliveryWorker({ ...config, database, registry: metrics.registry, log: app.log }).start(),
    )
    clicks.useLogger(app.log)
    background.push(
      startPostbackLogPruner(database.db, config.postbackLogRetentionDays, (err) =>
        app.log.error({ err }, 'postback log pruning failed'),
      ),
    )
    background.push(startRetention(database.db, config.clickRetentionDays, app.log))
    await app.listen({ port: config.port, host: config.host })
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : config.port
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
    print(`listening on ${url}`)
    let closing: Promise<void> | undefined
    const close = () => {
      closing ??= stopInOrder(app, background, database)
      return closing
    }
    return { app, database, url, close }
  } catch (error) {
    for (const service of background.reverse()) await service.stop()
    await database.close()
    throw error
  }
}

async function stopInOrder(app: App, background: BackgroundService[], database: Database) {
  await app.close()
  for (const service of [...background].reverse()) await service.stop()
  await database.close()
}
