import { setTimeout as sleep } from 'node:timers/promises'
import type { DatabaseConfig } from '../config.ts'
import { StartupError } from '../shared/startup-error.ts'
import type { Database } from './database.ts'

export interface WaitOptions {
  /** How long to keep trying (BACKTRACK_DB_WAIT); 0 tries once. */
  waitMs: number
  /** Told once, when the first try fails and there is time left to wait. */
  onWait?: (line: string) => void
  /** Gives up waiting (SIGINT or SIGTERM during start-up): nobody should have to wait 30 s. */
  signal?: AbortSignal
}

const FIRST_DELAY_MS = 100
const MAX_DELAY_MS = 2000
// However little time is left, one try may take this long: connecting can be slow, not absent.
const MIN_TRY_MS = 5000
// SQLSTATEs that mean "not yet": the server is starting up or out of connection slots. Any other
// answer from PostgreSQL (a wrong password, a missing database) will not change by waiting.
const TRANSIENT_STATES = new Set(['57P03', '53300'])

/**
 * Resolves once the database answers a trivial query. PostgreSQL is retried with backoff for
 * `waitMs`, so a compose file may start it together with Backtrack; failing, the error is one
 * line naming the host and port.
 */
export async function waitForDatabase(
  database: Database,
  config: DatabaseConfig,
  options: WaitOptions,
): Promise<void> {
  const deadline = Date.now() + options.waitMs
  let delay = FIRST_DELAY_MS
  for (let tries = 1; ; tries++) {
    const error = await pingWithin(
      database,
      Math.max(deadline - Date.now(), MIN_TRY_MS),
      options.signal,
    )
    if (error === undefined) return
    if (config.engine === 'sqlite') {
      throw new StartupError(`cannot use the SQLite database ${config.path}: ${message(error)}`)
    }
    const where = `PostgreSQL at ${hostAndPort(config.url)}`
    if (options.signal?.aborted) {
      throw new StartupError(`stopped while waiting for ${where} (${message(error)})`)
    }
    if (!isTransient(error)) {
      throw new StartupError(
        `${where} refused the connection: ${message(error)}; check DATABASE_URL`,
      )
    }
    const left = deadline - Date.now()
    if (left <= 0) {
      throw new StartupError(
        `${where} did not answer within ${seconds(options.waitMs)} (${message(error)}); ` +
          'check that it runs and DATABASE_URL, or wait longer with BACKTRACK_DB_WAIT',
      )
    }
    if (tries === 1) {
      options.onWait?.(`waiting up to ${seconds(options.waitMs)} for ${where} (${message(error)})`)
    }
    await sleep(Math.min(delay, left), undefined, { signal: options.signal }).catch(() => {})
    delay = Math.min(delay * 2, MAX_DELAY_MS)
  }
}

// A host that drops packets would leave a connection attempt hanging for minutes.
async function pingWithin(database: Database, ms: number, stop?: AbortSignal): Promise<unknown> {
  const timeout = new AbortController()
  const signal = stop ? AbortSignal.any([timeout.signal, stop]) : timeout.signal
  const timedOut = sleep(ms, undefined, { signal }).then(
    () => new Error(`no answer after ${seconds(ms)}`),
    () => (stop?.aborted ? new Error('no answer yet') : undefined),
  )
  const pinged = database.ping().then(
    () => undefined,
    (error: unknown) => error ?? new Error('unknown error'),
  )
  try {
    return await Promise.race([pinged, timedOut])
  } finally {
    timeout.abort()
  }
}

function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  const isSqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)
  return !isSqlState || TRANSIENT_STATES.has(code)
}

/** host:port from a postgres:// URL; never the user or password. */
function hostAndPort(url: string): string {
  const parsed = URL.parse(url)
  if (parsed === null) return 'the host in DATABASE_URL'
  const host =
    parsed.searchParams.get('host') ?? (decodeURIComponent(parsed.hostname) || 'localhost')
  return `${host}:${parsed.port || '5432'}`
}

function message(error: unknown): string {
  const { code, message: text } = error as { code?: string; message?: string }
  // Connecting to "localhost" fails on both of its addresses with an empty-message AggregateError.
  const base = text || (error instanceof AggregateError ? message(error.errors[0]) : String(error))
  const line = base.split('\n')[0] ?? base
  return code && !line.includes(code) ? `${line} (${code})` : line
}

// As BACKTRACK_DB_WAIT is written: 30s, 5m.
function seconds(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`
}
