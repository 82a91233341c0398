import { ensureAdminKey } from './access/index.ts'
import {
  defaultUnwrittenClicksPath,
  registerClickMetrics,
  startClickTracking,
} from './clicks/index.ts'
import type { Config } from './config.ts'
import { startPostbackLogPruner } from './conversions/index.ts'
import { connectDatabase } from './db/connect-database.ts'
import type { Database } from './db/database.ts'
import { migrateToLatest } from './db/migrate.ts'
import { DeliveryWorker } from './delivery/index.ts'
import { type App, type AppOptions, buildApp } from './http/app.ts'
import { createMetrics } from './http/metrics.ts'
import { startRetention } from './reports/index.ts'
import { StartupError } from './shared/startup-error.ts'

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

/**
 * Prints a start-up message meant for a person: the listen line to stdout; the generated admin
 * key and warnings to stderr, apart from the JSON log lines on stdout.
 */
export type Print = (line: string, to: 'stdout' | 'stderr') => void

export interface StartOptions extends AppOptions {
  print?: Print
  /** Stops waiting for the database: a signal during start-up. */
  signal?: AbortSignal
}

const printToConsole: Print = (line, to) => process[to].write(`${line}\n`)

/** Start-up: config → database (waited for, migrated) → HTTP server → admin key. */
export async function startServer(
  config: Config,
  options: StartOptions = {},
): Promise<RunningServer> {
  const print = options.print ?? printToConsole
  const database = await connectDatabase(config.database, {
    waitMs: config.databaseWaitMs,
    onWait: (line) => print(line, 'stderr'),
    signal: options.signal,
  })
  // Work that runs beside the HTTP server (click writer, delivery worker, pruning); stopped in
  // reverse order after the server has finished its in-flight requests.
  const background: BackgroundService[] = []
  // Known to the clean-up below once built.
  let built: App | undefined
  try {
    await migrateToLatest(database.db, database.engine)
    const clicks = await startClickTracking(database.db, {
      storeThread: config.database,
      unwrittenClicksPath:
        config.unwrittenClicksPath ?? defaultUnwrittenClicksPath(config.database),
    })
    background.push(clicks)
    const metrics = createMetrics()
    registerClickMetrics(metrics.registry, clicks.writer)
    const app = await buildApp({ config, database, metrics, clicks }, options)
    built = app
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
    await listen(app, config)
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : config.port
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
    print(`listening on ${url}`, 'stdout')
    const warning = publicUrlWarning(config)
    if (warning) print(warning, 'stderr')
    // Made only once the server listens: a key made by a start that then failed (its port taken)
    // would be stored, never shown, and never made again. Printed last, on its own.
    const generated = await ensureAdminKey(database.db, config.adminKey)
    if (generated) {
      print(`admin key (shown once, stored hashed; keep it safe): ${generated}`, 'stderr')
    }
    let closing: Promise<void> | undefined
    const close = () => {
      closing ??= stopInOrder(app, background, database)
      return closing
    }
    return { app, database, url, close }
  } catch (error) {
    // Closing the app also writes out its buffered log lines.
    await built?.close()
    for (const service of background.reverse()) await service.stop()
    await database.close()
    throw error
  }
}

/** Listens without Fastify's own "Server listening at" lines: ours is the one such line. */
async function listen(app: App, config: Config): Promise<void> {
  const level = app.log.level
  app.log.level = 'warn'
  try {
    await app.listen({ port: config.port, host: config.host })
  } catch (error) {
    throw listenError(error, config) ?? error
  } finally {
    app.log.level = level
  }
}

function listenError(error: unknown, { port, host }: Config): StartupError | undefined {
  switch ((error as { code?: string }).code) {
    case 'EADDRINUSE':
      return new StartupError(
        `port ${port} is already in use on ${host}; choose another with --port or PORT`,
      )
    case 'EACCES':
      return new StartupError(
        `not allowed to listen on port ${port}; choose one above 1023 with --port or PORT`,
      )
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new StartupError(
        `cannot listen on ${host}: no such address here; choose another with --host or HOST`,
      )
    default:
      return undefined
  }
}

/** Links would say localhost while visitors and advertisers reach the server by another name. */
function publicUrlWarning(config: Config): string | undefined {
  if (!config.publicUrlGuessed || isLoopback(config.host)) return undefined
  return (
    `warning: BACKTRACK_PUBLIC_URL is not set, so every tracking and postback link says ` +
    `${config.publicUrl}, yet the server listens on ${config.host} for other machines; ` +
    'set BACKTRACK_PUBLIC_URL to the address they reach it by'
  )
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^(::ffff:)?127\./i.test(host)
}

// One service failing to stop (its database gone) must not keep the others, the click writer
// above all, from finishing their work.
async function stopInOrder(app: App, background: BackgroundService[], database: Database) {
  await app.close()
  for (const service of [...background].reverse()) {
    await service.stop().catch((error: unknown) => {
      app.log.error({ err: error }, 'error while stopping')
    })
  }
  await database.close()
}
