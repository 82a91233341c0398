import type { Db } from '../db/database.ts'
import { isDatabaseUnavailable } from '../db/database-unavailable.ts'
import { ConversionEffects } from './conversion-effects.ts'

/**
 * Writes a batch of inputs inside one transaction and returns one result per input, in order.
 * Report effects go to `effects`, written before the commit.
 */
export type BatchWrite<In, Out> = (
  tx: Db,
  effects: ConversionEffects,
  inputs: In[],
) => Promise<Out[]>

/** Hands `input` to the batch writer and resolves with its result once its batch commits. */
export type Commit<In, Out> = (input: In) => Promise<Out>

interface Item<In, Out> {
  input: In
  resolve: (value: Out) => void
  reject: (error: unknown) => void
}

const MAX_BATCH = 200

/**
 * Group commit for postbacks. A commit is most of what a postback costs (a WAL write on SQLite, a
 * flush on PostgreSQL), so calls that arrive together share one transaction, and each caller hears
 * back only after that commit. While a batch commits the next one gathers, so batches grow with
 * the load and an idle server adds no delay. The writer gets the whole batch, so it can write each
 * table's rows with one statement. Uniqueness is still decided by the constraints: calls in one
 * batch see each other's rows, and other processes' transactions wait on them.
 *
 * The writer must not throw for an expected refusal (return it instead): a throw rolls the whole
 * batch back, and then each call is written again in a transaction of its own, so one failing
 * call (or a deadlock with another process) cannot fail the others.
 */
export function groupCommit<In, Out>(db: Db, write: BatchWrite<In, Out>): Commit<In, Out> {
  const queue: Array<Item<In, Out>> = []
  let flushing = false

  const flush = async () => {
    while (queue.length > 0) await runBatch(db, write, queue.splice(0, MAX_BATCH))
    flushing = false
  }

  return (input) =>
    new Promise<Out>((resolve, reject) => {
      queue.push({ input, resolve, reject })
      if (!flushing) {
        flushing = true
        // setImmediate lets the requests read in the same turn of the event loop join the batch.
        setImmediate(() => void flush())
      }
    })
}

async function runBatch<In, Out>(
  db: Db,
  write: BatchWrite<In, Out>,
  batch: Array<Item<In, Out>>,
): Promise<void> {
  let values: Out[]
  try {
    values = await inTransaction(db, write, batch)
  } catch (error) {
    // Written one by one, every call would wait for the same dead connection or timeout again.
    if (isDatabaseUnavailable(error)) {
      for (const item of batch) item.reject(error)
      return
    }
    for (const item of batch) await runAlone(db, write, item)
    return
  }
  for (const [i, item] of batch.entries()) item.resolve(values[i]!)
}

async function runAlone<In, Out>(db: Db, write: BatchWrite<In, Out>, item: Item<In, Out>) {
  try {
    const [value] = await inTransaction(db, write, [item])
    item.resolve(value!)
  } catch (error) {
    item.reject(error)
  }
}

function inTransaction<In, Out>(db: Db, write: BatchWrite<In, Out>, batch: Array<Item<In, Out>>) {
  return db.transaction().execute(async (tx) => {
    const effects = new ConversionEffects()
    const results = await write(
      tx,
      effects,
      batch.map((item) => item.input),
    )
    if (results.length !== batch.length) {
      throw new Error(`a batch writer returned ${results.length} results for ${batch.length}`)
    }
    await effects.write(tx)
    return results
  })
}
