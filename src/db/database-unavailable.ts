// Node's socket errors: the server is down, unreachable, or the connection was cut.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
])

// SQLSTATEs of a server that cannot serve now, whatever the query: 08 connection exception,
// 53 insufficient resources (disk full, out of memory, too many connections), 57P0x shutting
// down or restarting, 57014 a statement cancelled by statement_timeout, 55P03 lock_timeout.
const SQLSTATE = /^(08...|53...|57P0.|57014|55P03)$/

// pg's own errors carry no code, only these messages: the connection ended, a connect or read
// timeout passed, or a query was sent on a client whose connection had already failed.
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'is not queryable',
]

// SQLite's primary result codes (an extended code keeps them in its low byte): the file is
// locked past the busy timeout, out of memory, read-only, an I/O error, the disk is full, the
// file cannot be opened.
const SQLITE_CODES = new Set([5, 6, 7, 8, 10, 13, 14])

/**
 * Whether `error` says the database cannot be used right now (not that the query was wrong):
 * PostgreSQL gone, cut off or hanging past a timeout, SQLite locked past its busy timeout, its
 * disk full or failing. The API answers these `503 unavailable`; the writers keep what they hold
 * and try again.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnavailable)
  const { code, errcode, message } = error as {
    code?: unknown
    errcode?: unknown
    message?: unknown
  }
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATE.test(code))) return true
  if (code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number') {
    return SQLITE_CODES.has(errcode & 0xff)
  }
  return typeof message === 'string' && PG_MESSAGES.some((text) => message.includes(text))
}
