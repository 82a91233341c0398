import { Worker } from 'node:worker_threads'
import type { DatabaseConfig } from '../config.ts'
import type { Db } from '../db/database.ts'
import { type ClickLine, decodeClick } from './click-line.ts'
import { storeClicks } from './store-clicks.ts'

/** Where the click writer commits its batches. */
export interface ClickStore {
  /** Resolves once the batch is committed; rejects when it is not. */
  store(clicks: ClickLine[]): Promise<void>
  close(): Promise<void>
}

/** Commits on the caller's own connection and event loop. */
export function inProcessClickStore(db: Db): ClickStore {
  return { store: (clicks) => storeClicks(db, clicks.map(decodeClick)), close: async () => {} }
}

/** A batch sent to the store thread. */
export interface StoreRequest {
  id: number
  clicks: ClickLine[]
}

/** The thread's answer: committed, or the error that stopped the batch. */
export interface StoreReply {
  id: number
  /** The driver's codes too, which tell a database that is away from a batch it refused. */
  error?: { message: string; stack: string | undefined; code?: unknown; errcode?: unknown }
}

/**
 * Commits in a worker thread with its own database connection. SQLite runs a statement on the
 * thread that calls it, so a batch of a thousand clicks (with its rollups) would hold the event
 * loop that answers redirects for milliseconds; there it holds only the store thread. On
 * PostgreSQL the thread takes the driver's encoding and parsing off the event loop.
 * A thread that dies fails its batches (the writer retries them) and is started again.
 */
export function threadedClickStore(database: DatabaseConfig): ClickStore {
  let worker: Worker | undefined
  let nextId = 0
  const waiting = new Map<number, PromiseWithResolvers<void>>()

  const failAll = (error: Error) => {
    for (const pending of waiting.values()) pending.reject(error)
    waiting.clear()
  }

  const start = (): Worker => {
    const thread = new Worker(new URL('./click-store-thread.ts', import.meta.url), {
      workerData: { database },
      // Batches come in bursts of short-lived objects; a small young generation keeps the
      // thread's share of the server's memory near 30 MB.
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    })
    thread.on('message', ({ id, error }: StoreReply) => {
      const pending = waiting.get(id)
      waiting.delete(id)
      if (error === undefined) return pending?.resolve()
      const { message, stack, code, errcode } = error
      const failure = Object.assign(new Error(message), { code, errcode })
      failure.stack = stack
      pending?.reject(failure)
    })
    thread.on('error', (error) => failAll(error))
    thread.on('exit', (code) => {
      if (worker === thread) worker = undefined
      failAll(new Error(`click store thread exited (${code})`))
    })
    // Idle, the thread must not keep the process alive; a batch in flight refs it again.
    thread.unref()
    return thread
  }

  return {
    store(clicks) {
      worker ??= start()
      const id = nextId++
      const pending = Promise.withResolvers<void>()
      waiting.set(id, pending)
      worker.ref()
      worker.postMessage({ id, clicks } satisfies StoreRequest)
      return pending.promise.finally(() => {
        if (waiting.size === 0) worker?.unref()
      })
    },
    async close() {
      const thread = worker
      worker = undefined
      if (!thread) return
      const exited = new Promise((resolve) => thread.once('exit', resolve))
      thread.ref()
      thread.postMessage('close')
      await exited
    },
  }
}
