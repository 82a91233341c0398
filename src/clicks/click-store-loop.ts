// The store thread of `threadedClickStore` (entered through click-store-thread.ts): one database
// connection of its own, one batch at a time, each answered once committed or failed.
import { parentPort, workerData } from 'node:worker_threads'
import type { DatabaseConfig } from '../config.ts'
import { type Database, openDatabase } from '../db/database.ts'
import { decodeClick } from './click-line.ts'
import type { StoreReply, StoreRequest } from './click-store.ts'
import { storeClicks } from './store-clicks.ts'

const port = parentPort!
const config = (workerData as { database: DatabaseConfig }).database
// Opened by the first batch, so that a database that cannot be opened fails batches with its
// own reason (and is tried again by the next) instead of ending the thread.
let database: Database | undefined
let queue = Promise.resolve()

port.on('message', (message: StoreRequest | 'close') => {
  if (message === 'close') {
    queue = queue.then(async () => {
      await database?.close()
      port.close()
    })
    return
  }
  queue = queue.then(async () => {
    try {
      // The server's own connection checkpoints the WAL; this one commits off the event loop anyway.
      database ??= openDatabase(config, { poolSize: 2, walCheckpointer: false })
      await storeClicks(database.db, message.clicks.map(decodeClick))
      port.postMessage({ id: message.id } satisfies StoreReply)
    } catch (error) {
      // Sent as plain values: a driver's error may hold what a thread message cannot carry.
      const { message: text, stack } = error instanceof Error ? error : new Error(String(error))
      const { code, errcode } = error as { code?: unknown; errcode?: unknown }
      const reply = { message: text, stack, code: plain(code), errcode: plain(errcode) }
      port.postMessage({ id: message.id, error: reply } satisfies StoreReply)
    }
  })
})

function plain(value: unknown): string | number | undefined {
  return typeof value === 'string' || typeof value === 'number' ? value : undefined
}
