import type { DatabaseSync } from 'node:sqlite'
import { Worker } from 'node:worker_threads'

const EVERY_MS = 100
// The main connection's own checkpoints, a safety net when the checkpointer cannot keep up:
// about 40 MB of WAL instead of SQLite's 4 MB default.
const FALLBACK_PAGES = 10_000
const DEFAULT_PAGES = 1000

// Runs in the worker thread, as CommonJS. SQLITE_BUSY means another process's checkpointer is at
// it, which is as good; SQLITE_FULL and SQLITE_IOERR, a disk full or failing, are tried again on
// the next tick, once space may have returned; any other error ends the worker, and the main
// connection takes over.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const emitWarning = process.emitWarning
process.emitWarning = (warning, ...rest) =>
  String(warning?.message ?? warning).startsWith('SQLite is an experimental feature')
    ? undefined
    : emitWarning.call(process, warning, ...rest)
const { DatabaseSync } = require('node:sqlite')
const database = new DatabaseSync(workerData.path)
const timer = setInterval(() => {
  try {
    database.exec('pragma wal_checkpoint(passive)')
  } catch (error) {
    if (![5, 10, 13].includes(error?.errcode & 0xff)) throw error
  }
}, workerData.everyMs)
parentPort.once('message', () => {
  clearInterval(timer)
  database.close()
  parentPort.close()
})
`

export interface WalCheckpointer {
  stop(): Promise<void>
}

/**
 * Moves WAL checkpoints off the event loop. SQLite checkpoints in the connection that commits,
 * and with `synchronous = normal` a checkpoint fsyncs the WAL and the database file: about one
 * commit in fifteen took 10 ms instead of 0.3 ms, and on our single thread every request waited
 * for it. A worker thread with its own connection now checkpoints every 100 ms (passive: it never
 * blocks a writer); the main connection checkpoints itself only if the WAL grows past ~40 MB, or
 * at SQLite's default again if the worker dies. Durability is unchanged: commits write the WAL as
 * before.
 */
export function startWalCheckpointer(database: DatabaseSync, path: string): WalCheckpointer {
  database.exec(`pragma wal_autocheckpoint = ${FALLBACK_PAGES}`)
  const worker = new Worker(SOURCE, { eval: true, workerData: { path, everyMs: EVERY_MS } })
  worker.unref()
  let stopping = false
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      if (!stopping && database.isOpen) {
        database.exec(`pragma wal_autocheckpoint = ${DEFAULT_PAGES}`)
      }
      resolve()
    })
  })
  worker.on('error', (error) => {
    process.emitWarning(`the SQLite WAL checkpointer stopped: ${error.message}`)
  })
  return {
    // The worker closes its connection before the main one closes, so the last connection to
    // close checkpoints and removes the WAL as usual.
    // Stopping twice (closing the database twice) waits for the same exit.
    stop: async () => {
      if (!stopping) {
        stopping = true
        worker.ref()
        worker.postMessage('stop')
      }
      await exited
    },
  }
}
