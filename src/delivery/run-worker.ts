import type { Config } from '../config.ts'
import { type Database, openDatabase } from '../db/database.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { createMetrics } from '../http/metrics.ts'
import { type MetricsServer, startMetricsServer } from '../http/metrics-server.ts'
import { DeliveryWorker, type WorkerOptions } from './delivery-worker.ts'

export interface RunningWorker {
  id: string
  /** Where /metrics and /healthz answer, when BACKTRACK_WORKER_METRICS_PORT is set. */
  metricsUrl: string | undefined
  /** Lets attempts in flight finish, hands back the rest, closes the database. */
  stop(): Promise<void>
}

/**
 * `backtrack worker`: the delivery worker alone, for scaling delivery out beside (or apart from)
 * `serve` processes on one PostgreSQL. Each claims with its own lease, so any number may run.
 */
export async function runWorker(
  config: Config,
  print: (line: string) => void,
  options: WorkerOptions = {},
): Promise<RunningWorker> {
  const database = openDatabase(config.database)
  try {
    await migrateToLatest(database.db, database.engine)
  } catch (error) {
    await database.close()
    throw error
  }
  const log = {
    error: (context: object, message: string) =>
      process.stderr.write(
        `${JSON.stringify({ level: 'error', msg: message, ...describe(context) })}\n`,
      ),
  }
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
    stop: async () => {
      await worker.stop()
      await server?.close()
      await database.close()
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

function describe(context: object): object {
  const { err, ...rest } = context as { err?: unknown }
  return err instanceof Error ? { ...rest, err: { message: err.message, stack: err.stack } } : rest
}
