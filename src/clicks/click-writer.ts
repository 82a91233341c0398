import { type ClickLine, decodeClick, encodeClick, isLineOf } from './click-line.ts'
import type { ClickRecord } from './click-record.ts'
import type { ClickStore } from './click-store.ts'
import { spillClicks } from './unwritten-clicks.ts'

/** A click on its way to the database, with what the reports need besides the row. */
export interface QueuedClick extends ClickRecord {
  /** The offer's currency: rollups are kept per currency. */
  currency: string
}

export interface ClickWriterLog {
  error(object: object, message: string): void
}

export interface ClickWriterOptions {
  /** How long a click may wait for others to share its commit. */
  maxDelayMs?: number
  /** Clicks per commit at most. */
  maxBatch?: number
  /**
   * Clicks held in memory at most while the database is unreachable (50 000 by default, about
   * 25 MB); past it the oldest are dropped, counted in `dropped` and logged.
   */
  maxQueue?: number
  /** Beyond this backlog, while writes succeed, a redirect waits for the next commit. */
  slowDownAt?: number
  /**
   * Where clicks the database would not take at shutdown are kept, to be replayed at the next
   * start (see `unwritten-clicks.ts`); without it they go to the log, one line each.
   */
  unwrittenClicksPath?: string
}

const RETRY_MS = [100, 250, 500, 1000, 2000]
const STOP_ATTEMPTS = 3

/**
 * Group commit: the redirect hands its click here and answers at once; clicks are written
 * together, one transaction per batch, at most `maxDelayMs` after the first of them arrived (or
 * as soon as a batch is full). While one batch is being written the next one gathers, so the
 * batch size grows with the load and the number of commits does not. `stop()` writes everything.
 */
export class ClickWriter {
  readonly #store: ClickStore
  #log: ClickWriterLog
  readonly #maxDelayMs: number
  readonly #maxBatch: number
  readonly #maxQueue: number
  #queue: ClickLine[] = []
  #writing: ClickLine[] = []
  #timer: NodeJS.Timeout | undefined
  #draining: Promise<void> | undefined
  #failures = 0
  #dropped = 0
  #stopping = false
  readonly #slowDownAt: number
  readonly #unwrittenClicksPath: string | undefined
  #committed = Promise.withResolvers<void>()
  #added = 0
  #settled = 0

  constructor(store: ClickStore, log: ClickWriterLog, options: ClickWriterOptions = {}) {
    this.#store = store
    this.#log = log
    this.#maxDelayMs = options.maxDelayMs ?? 20
    this.#maxBatch = options.maxBatch ?? 1000
    this.#maxQueue = options.maxQueue ?? 50_000
    this.#slowDownAt = options.slowDownAt ?? 10_000
    this.#unwrittenClicksPath = options.unwrittenClicksPath
  }

  set log(log: ClickWriterLog) {
    this.#log = log
  }

  /**
   * Queues a click for the next commit. When the database keeps up, nothing to wait for; when it
   * falls far behind but still commits, a promise of the next commit, so that redirects slow down
   * to what the database can store rather than memory filling up.
   */
  add(click: QueuedClick): Promise<void> | undefined {
    if (this.backlog >= this.#maxQueue) this.#dropOldest()
    this.#queue.push(encodeClick(click))
    this.#added++
    if (this.#draining) {
      const behind = this.#queue.length >= this.#slowDownAt && this.#failures === 0
      return behind ? this.#committed.promise : undefined
    }
    if (this.#queue.length >= this.#maxBatch) this.#drain()
    else this.#timer ??= setTimeout(() => this.#drain(), this.#maxDelayMs)
    return undefined
  }

  /** A click that is queued or being written, not yet in the database. */
  pending(clickId: string): QueuedClick | undefined {
    if (!/^[A-Za-z0-9_-]+$/.test(clickId)) return undefined
    const match = (line: ClickLine) => isLineOf(line, clickId)
    const line = this.#writing.find(match) ?? this.#queue.find(match)
    return line === undefined ? undefined : decodeClick(line)
  }

  /** Clicks not yet committed. */
  get backlog(): number {
    return this.#queue.length + this.#writing.length
  }

  /**
   * Clicks queued since start, and how many of the first of them are written or given up: clicks
   * are written in the order they came, so click cap counts can tell which are in the database.
   */
  get added(): number {
    return this.#added
  }

  get settled(): number {
    return this.#settled
  }

  /** Clicks dropped since start because the queue was full (`backtrack_clicks_dropped_total`). */
  get dropped(): number {
    return this.#dropped
  }

  // The visitor was redirected already; the newest clicks are the ones a postback is likeliest to
  // come for, so the oldest waiting (not the batch being written) make room.
  #dropOldest(): void {
    const oldest = this.#queue.shift()
    if (oldest === undefined) return
    this.#dropped++
    this.#settled++
    if (this.#dropped % 1000 === 1) {
      this.#log.error(
        { dropped: this.#dropped, held: this.#maxQueue, oldest: decodeClick(oldest).clickId },
        'click queue full while the database is unavailable: dropping the oldest clicks',
      )
    }
  }

  /** Writes every queued click, retrying a few times, before resolving. */
  async stop(): Promise<void> {
    this.#stopping = true
    clearTimeout(this.#timer)
    this.#timer = undefined
    await this.#draining
    if (this.#queue.length > 0) this.#drain()
    await this.#draining
    await this.#store.close()
  }

  #drain(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#draining ??= this.#writeAll().finally(() => {
      this.#draining = undefined
      if (this.#queue.length > 0 && !this.#stopping) {
        this.#timer = setTimeout(() => this.#drain(), this.#retryDelay())
      }
    })
  }

  async #writeAll(): Promise<void> {
    while (this.#queue.length > 0) {
      this.#writing = this.#queue.splice(0, this.#maxBatch)
      try {
        await this.#store.store(this.#writing)
        this.#settled += this.#writing.length
        this.#failures = 0
      } catch (error) {
        this.#failures++
        this.#queue = [...this.#writing, ...this.#queue]
        this.#writing = []
        while (this.#queue.length > this.#maxQueue) this.#dropOldest()
        this.#log.error(
          { err: error, backlog: this.#queue.length, attempt: this.#failures },
          'could not write clicks; will retry',
        )
        if (!this.#stopping) return
        if (this.#failures >= STOP_ATTEMPTS) return this.#abandon()
        await new Promise((resolve) => setTimeout(resolve, this.#retryDelay()))
      } finally {
        this.#writing = []
        this.#committed.resolve()
        this.#committed = Promise.withResolvers<void>()
      }
    }
  }

  #retryDelay(): number {
    return RETRY_MS[Math.min(this.#failures, RETRY_MS.length) - 1] ?? 0
  }

  // Shutting down with the database gone: the clicks go to a file replayed at the next start.
  #abandon(): void {
    const lines = this.#queue
    this.#queue = []
    if (this.#unwrittenClicksPath !== undefined) {
      spillClicks(this.#unwrittenClicksPath, lines, this.#log)
      return
    }
    for (const line of lines) this.#log.error({ click: line }, 'click not written at shutdown')
  }
}
