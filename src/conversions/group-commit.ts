import type { Db } from '../db/database.ts'
import { ConversionEffects } from './conversion-effects.ts'

/** Work done in a shared transaction; report effects go to `effects`, written before commit. */
export type Work<T> = (tx: Db, effects: ConversionEffects) => Promise<T>

/** Runs `work` inside a transaction and resolves with its result once that transaction commits. */
export type Transact = <T>(work: Work<T>) => Promise<T>

interface Item {
  work: Work<unknown>
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

const MAX_BATCH = 200

/**
 * Group commit for postbacks. A commit is most of what a postback costs (a WAL write on SQLite, a
 * flush on PostgreSQL), so calls that arrive together share one transaction, and each caller hears
 * back only after that commit. While a batch commits the next one gathers, so batches grow with
 * the load and an idle server adds no delay. Uniqueness is still decided by the constraints: calls
 * in one batch see each other's rows, and other processes' transactions wait on them.
 *
 * Work must not throw for an expected refusal (return it instead): a throw rolls the whole batch
 * back, and then each call is run again in a transaction of its own, so one failing call (or a
 * deadlock with another process) cannot fail the others.
 */
export function groupCommit(db: Db): Transact {
  const queue: Item[] = []
  let flushing = false

  const flush = async () => {
    while (queue.length > 0) await runBatch(db, queue.splice(0, MAX_BATCH))
    flushing = false
  }

  return <T>(work: Work<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject })
      if (!flushing) {
        flushing = true
        // setImmediate lets the requests read in the same turn of the event loop join the batch.
        setImmediate(() => void flush())
      }
    })
}

async function runBatch(db: Db, batch: Item[]): Promise<void> {
  let values: unknown[]
  try {
    values = await db.transaction().execute(async (tx) => {
      const effects = new ConversionEffects()
      const results: unknown[] = []
      for (const item of batch) results.push(await item.work(tx, effects))
      await effects.write(tx)
      return results
    })
  } catch {
    if (batch.length === 1) return runAlone(db, batch[0]!)
    for (const item of batch) await runAlone(db, item)
    return
  }
  for (const [i, item] of batch.entries()) item.resolve(values[i])
}

async function runAlone(db: Db, item: Item): Promise<void> {
  try {
    const value = await db.transaction().execute(async (tx) => {
      const effects = new ConversionEffects()
      const result = await item.work(tx, effects)
      await effects.write(tx)
      return result
    })
    item.resolve(value)
  } catch (error) {
    item.reject(error)
  }
}
