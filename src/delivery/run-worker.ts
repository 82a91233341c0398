import { pino } from 'pino'
import type { Config } from '../config.ts'
import { connectDatabase } from '../db/connect-database.ts'
import type { Database } from '../db/database.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { createMetrics } from '../http/metrics.ts'
import { type MetricsServer, startMetricsServer } from '../http/metrics-server.ts'
import { DeliveryWorker, type WorkerOptions } from './delivery-worker.ts'

export interface RunningWorker {
  id: string
  /** Where /metrics and /healthz answer, when BACKTRACK_WORKER_METRICS_PORT is set. */
  metricsUrl: string | undefined
  /** Lets attempts in flight finish, hands back the rest, closes the database; `reason` is logged. */
  stop(reason?: string): Promise<void>
}

/**
 * `backtrack worker`: the delivery worker alone, for scaling delivery out beside (or apart from)
 * `serve` processes on one PostgreSQL. Each claims with its own lease, so any number may run.
 */
export async function runWorker(
  config: Config,
  print: (line: string) => void,
  options: WorkerOptions = {},
  /** Stops waiting for the database: a signal during start-up. */
  signal?: AbortSignal,
): Promise<RunningWorker> {
  const database = await connectDatabase(config.database, {
    waitMs: config.databaseWaitMs,
    onWait: (line) => process.stderr.write(`${line}\n`),
    signal,
  })
  try {
    await migrateToLatest(database.db, database.engine)
  } catch (error) {
    await database.close()
    throw error
  }
  // The same JSON lines as `serve` writes, at the same BACKTRACK_LOG_LEVEL.
  const log = pino({ level: config.logLevel })
  const metrics = createMetrics()
  const worker = new DeliveryWorker(
    { ...config, database, registry: metrics.registry, log },
    options,
  ).start()
  let server: MetricsServer | undefined
  try {
    server = await serveMetrics(config, database, metrics)
  } catch (error) {
    await worker.stop()
    await database.close()
    throw error
  }
  print(`delivery worker ${worker.id} started`)
  if (server) print(`metrics on ${server.url}/metrics`)
  return {
    id: worker.id,
    metricsUrl: server?.url,
    stop: async (reason) => {
      log.info({ worker: worker.id, reason }, 'delivery worker stopping')
      await worker.stop()
      await server?.close()
      await database.close()
      log.info({ worker: worker.id }, 'delivery worker stopped')
    },
  }
}

// Without an HTTP port of its own a worker's attempt counters would never be scraped.
function serveMetrics(
  config: Config,
  database: Database,
  metrics: ReturnType<typeof createMetrics>,
): Promise<MetricsServer | undefined> {
  if (config.workerMetricsPort === undefined) return Promise.resolve(undefined)
  return startMetricsServer({ config, database, metrics }, config.workerMetricsPort)
}
