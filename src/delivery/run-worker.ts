import { Registry } from 'prom-client'
import type { Config } from '../config.ts'
import { openDatabase } from '../db/database.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { DeliveryWorker, type WorkerOptions } from './delivery-worker.ts'

export interface RunningWorker {
  id: string
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
  const worker = new DeliveryWorker(
    { ...config, database, registry: new Registry(), log },
    options,
  ).start()
  print(`delivery worker ${worker.id} started`)
  return {
    id: worker.id,
    stop: async () => {
      await worker.stop()
      await database.close()
    },
  }
}

function describe(context: object): object {
  const { err, ...rest } = context as { err?: unknown }
  return err instanceof Error ? { ...rest, err: { message: err.message, stack: err.stack } } : rest
}
