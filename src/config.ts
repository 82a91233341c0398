import { isIP } from 'node:net'
import { parseDuration } from './shared/durations.ts'
import { keyStrengthBits, MIN_KEY_BITS } from './shared/key-strength.ts'
import { StartupError } from './shared/startup-error.ts'

export type DatabaseConfig =
  | {
      engine: 'sqlite'
      path: string
      /** How long a write waits for another connection's lock (BACKTRACK_DB_LOCK_TIMEOUT). */
      lockTimeoutMs?: number
    }
  | {
      engine: 'postgres'
      url: string
      schema?: string
      /** How long opening a connection may take (BACKTRACK_DB_CONNECT_TIMEOUT). */
      connectTimeoutMs?: number
      /** How long one statement may run (BACKTRACK_DB_STATEMENT_TIMEOUT). */
      statementTimeoutMs?: number
    }

/** At most `limit` failures per fixed window of `windowMs` from one source address. */
export interface RateLimitRule {
  limit: number
  windowMs: number
}

export interface Config {
  port: number
  host: string
  publicUrl: string
  /** BACKTRACK_PUBLIC_URL was not set: publicUrl is a localhost guess, wrong off this machine. */
  publicUrlGuessed: boolean
  database: DatabaseConfig
  /** How long start-up waits for the database to answer (compose files start both at once). */
  databaseWaitMs: number
  adminKey: string | undefined
  retryScheduleMs: number[]
  allowPrivateTargets: boolean
  trustProxy: string[]
  logLevel: string
  /** Days an inbound postback log line is kept; 0 keeps them forever. */
  postbackLogRetentionDays: number
  /** How often the live feed sends a heartbeat comment. */
  liveHeartbeatMs: number
  /** Raw clicks older than this many days are deleted; rollups and conversions stay. */
  clickRetentionDays: number
  /** Where `backtrack worker` serves /metrics and /healthz; undefined: it listens nowhere. */
  workerMetricsPort: number | undefined
  /** Refused postbacks (4xx) per source address before 429; undefined: no limit. */
  postbackRefusalLimit: RateLimitRule | undefined
  /** Failed API authentications (401) per source address before 429; undefined: no limit. */
  authFailureLimit: RateLimitRule | undefined
  /** Sign-in sessions: ended after this long unused, and after this long in any case. */
  sessionIdleMs: number
  sessionMaxMs: number
  /** `staff`: admins and managers must set up two-factor before using the API. */
  require2fa: 'off' | 'staff'
  /** Where invites are mailed from (smtp:// or smtps://); undefined: invites are not mailed. */
  smtpUrl: string | undefined
  smtpFrom: string
  /**
   * Where clicks not stored at shutdown are kept for the next start (BACKTRACK_UNWRITTEN_CLICKS);
   * undefined: beside the SQLite file, or ./data/unwritten-clicks.jsonl with PostgreSQL.
   */
  unwrittenClicksPath?: string
}

/** Command-line flags that override the environment. */
export interface ConfigFlags {
  port?: string
  host?: string
  db?: string
}

/** A bad setting: start-up stops with this message, which names the variable. */
export class ConfigError extends StartupError {}

export const DEFAULT_RETRY_SCHEDULE = '10s,1m,5m,30m,2h,6h,12h,24h'
export const DEFAULT_DB_WAIT = '30s'
export const DEFAULT_POSTBACK_REFUSAL_LIMIT = '60/min'
export const DEFAULT_AUTH_FAILURE_LIMIT = '20/min'
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** Reads and validates every setting once, so a bad value fails the start rather than a request. */
export function loadConfig(env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): Config {
  const port = parsePort(flags.port ?? env.PORT ?? '8080', flags.port ? '--port' : 'PORT')
  const host = flags.host ?? env.HOST ?? '0.0.0.0'
  return {
    port,
    host,
    publicUrl: parsePublicUrl(env.BACKTRACK_PUBLIC_URL, port),
    publicUrlGuessed: env.BACKTRACK_PUBLIC_URL === undefined || env.BACKTRACK_PUBLIC_URL === '',
    database: parseDatabase(env, flags),
    databaseWaitMs: parseWait(env.BACKTRACK_DB_WAIT ?? DEFAULT_DB_WAIT, 'BACKTRACK_DB_WAIT'),
    adminKey: parseAdminKey(env.BACKTRACK_ADMIN_KEY),
    retryScheduleMs: parseRetrySchedule(env.BACKTRACK_RETRY_SCHEDULE ?? DEFAULT_RETRY_SCHEDULE),
    allowPrivateTargets: parseFlag(
      env.BACKTRACK_ALLOW_PRIVATE_TARGETS,
      'BACKTRACK_ALLOW_PRIVATE_TARGETS',
    ),
    trustProxy: parseTrustProxy(env.BACKTRACK_TRUST_PROXY),
    logLevel: parseLogLevel(env.BACKTRACK_LOG_LEVEL ?? 'info'),
    liveHeartbeatMs: parseDurationSetting(
      env.BACKTRACK_LIVE_HEARTBEAT ?? '15s',
      'BACKTRACK_LIVE_HEARTBEAT',
    ),
    clickRetentionDays: parseDays(
      env.BACKTRACK_CLICK_RETENTION_DAYS ?? '90',
      'BACKTRACK_CLICK_RETENTION_DAYS',
    ),
    workerMetricsPort:
      env.BACKTRACK_WORKER_METRICS_PORT === undefined || env.BACKTRACK_WORKER_METRICS_PORT === ''
        ? undefined
        : parsePort(env.BACKTRACK_WORKER_METRICS_PORT, 'BACKTRACK_WORKER_METRICS_PORT'),
    postbackRefusalLimit: parseRateLimit(
      env.BACKTRACK_RATE_LIMIT_POSTBACK_REFUSALS ?? DEFAULT_POSTBACK_REFUSAL_LIMIT,
      'BACKTRACK_RATE_LIMIT_POSTBACK_REFUSALS',
    ),
    authFailureLimit: parseRateLimit(
      env.BACKTRACK_RATE_LIMIT_AUTH_FAILURES ?? DEFAULT_AUTH_FAILURE_LIMIT,
      'BACKTRACK_RATE_LIMIT_AUTH_FAILURES',
    ),
    ...(env.BACKTRACK_UNWRITTEN_CLICKS
      ? { unwrittenClicksPath: env.BACKTRACK_UNWRITTEN_CLICKS }
      : {}),
    postbackLogRetentionDays: parseRetentionDays(
      env.BACKTRACK_POSTBACK_LOG_RETENTION_DAYS ?? '30',
      'BACKTRACK_POSTBACK_LOG_RETENTION_DAYS',
    ),
    ...parseAccountSettings(env),
  }
}

function parseAccountSettings(env: NodeJS.ProcessEnv) {
  const require2fa = env.BACKTRACK_REQUIRE_2FA || 'off'
  if (require2fa !== 'off' && require2fa !== 'staff') {
    throw new ConfigError(`BACKTRACK_REQUIRE_2FA must be off or staff, got "${require2fa}"`)
  }
  const smtpUrl = env.BACKTRACK_SMTP_URL || undefined
  if (smtpUrl !== undefined && !/^smtps?:\/\//.test(smtpUrl)) {
    throw new ConfigError('BACKTRACK_SMTP_URL must be an smtp:// or smtps:// URL')
  }
  return {
    sessionIdleMs: parseDurationSetting(
      env.BACKTRACK_SESSION_IDLE ?? '12h',
      'BACKTRACK_SESSION_IDLE',
    ),
    sessionMaxMs: parseDurationSetting(env.BACKTRACK_SESSION_MAX ?? '7d', 'BACKTRACK_SESSION_MAX'),
    require2fa: require2fa as 'off' | 'staff',
    smtpUrl,
    smtpFrom: env.BACKTRACK_SMTP_FROM || 'Backtrack <backtrack@localhost>',
  }
}

function parsePort(text: string, name: string): number {
  const port = Number(text)
  if (!/^\d+$/.test(text) || port < 0 || port > 65535) {
    throw new ConfigError(`${name} must be a port number from 0 to 65535, got "${text}"`)
  }
  return port
}

function parsePublicUrl(text: string | undefined, port: number): string {
  if (text === undefined || text === '') return `http://localhost:${port}`
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new ConfigError(`BACKTRACK_PUBLIC_URL must be an absolute http(s) URL, got "${text}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`BACKTRACK_PUBLIC_URL must use http or https, got "${text}"`)
  }
  return url.href.replace(/\/+$/, '')
}

function parseDatabase(env: NodeJS.ProcessEnv, flags: ConfigFlags): DatabaseConfig {
  const url = env.DATABASE_URL
  if (url !== undefined && url !== '' && flags.db === undefined) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL')
    }
    return {
      engine: 'postgres',
      url,
      ...optionalDuration(env, 'BACKTRACK_DB_CONNECT_TIMEOUT', 'connectTimeoutMs'),
      ...optionalDuration(env, 'BACKTRACK_DB_STATEMENT_TIMEOUT', 'statementTimeoutMs'),
    }
  }
  const path = flags.db ?? env.BACKTRACK_DB ?? './data/backtrack.db'
  if (path === '') throw new ConfigError('BACKTRACK_DB must not be empty')
  return {
    engine: 'sqlite',
    path,
    ...optionalDuration(env, 'BACKTRACK_DB_LOCK_TIMEOUT', 'lockTimeoutMs'),
  }
}

// Unset: the database module's default.
function optionalDuration<K extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  key: K,
): Partial<Record<K, number>> {
  const text = env[name]
  if (text === undefined || text === '') return {}
  return { [key]: parseDurationSetting(text, name) } as Record<K, number>
}

function parseAdminKey(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined
  if (text.length < 16) {
    throw new ConfigError('BACKTRACK_ADMIN_KEY must be at least 16 characters long')
  }
  const bits = keyStrengthBits(text)
  if (bits < MIN_KEY_BITS) {
    throw new ConfigError(
      `BACKTRACK_ADMIN_KEY is too weak: about ${Math.floor(bits)} bits, at least ${MIN_KEY_BITS} needed (words, repeats and sequences count for little); use a random key, e.g. from \`openssl rand -base64 32\``,
    )
  }
  return text
}

function parseRetrySchedule(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim())
  const delays = parts.map(parseDuration)
  if (parts.length === 0 || delays.some((delay) => delay === null)) {
    throw new ConfigError(
      `BACKTRACK_RETRY_SCHEDULE must be comma-separated durations such as ${DEFAULT_RETRY_SCHEDULE}, got "${text}"`,
    )
  }
  return delays as number[]
}

function parseDurationSetting(text: string, name: string): number {
  const ms = parseDuration(text)
  if (ms === null || ms === 0) {
    throw new ConfigError(`${name} must be a duration such as 15s or 500ms, got "${text}"`)
  }
  return ms
}

// 0 is allowed: one try, no waiting.
function parseWait(text: string, name: string): number {
  const ms = text.trim() === '0' ? 0 : parseDuration(text)
  if (ms === null) {
    throw new ConfigError(
      `${name} must be a duration such as 30s or 2m (0: no wait), got "${text}"`,
    )
  }
  return ms
}

function parseDays(text: string, name: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1) {
    throw new ConfigError(`${name} must be a whole number of days (at least 1), got "${text}"`)
  }
  return Number(text)
}

function parseFlag(text: string | undefined, name: string): boolean {
  if (text === undefined || text === '' || text === '0' || text === 'false') return false
  if (text === '1' || text === 'true') return true
  throw new ConfigError(`${name} must be 1 or 0, got "${text}"`)
}

function parseTrustProxy(text: string | undefined): string[] {
  if (text === undefined || text.trim() === '') return []
  const entries = text.split(',').map((entry) => entry.trim())
  for (const entry of entries) {
    const [address, bits] = entry.split('/')
    const family = isIP(address ?? '')
    const maxBits = family === 4 ? 32 : 128
    const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits)
    if (family === 0 || !bitsOk) {
      throw new ConfigError(
        `BACKTRACK_TRUST_PROXY must be comma-separated IP addresses or CIDR ranges, got "${entry}"`,
      )
    }
  }
  return entries
}

function parseRetentionDays(text: string, name: string): number {
  if (!/^\d{1,5}$/.test(text.trim())) {
    throw new ConfigError(`${name} must be a whole number of days (0 keeps forever), got "${text}"`)
  }
  return Number(text.trim())
}

const RATE_WINDOWS: Record<string, number> = {
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
}

// `60/min`, `5/s`, `1000/hour`; `0` or `off` turns the limit off.
function parseRateLimit(text: string, name: string): RateLimitRule | undefined {
  const trimmed = text.trim()
  if (trimmed === '0' || trimmed === 'off') return undefined
  const match = /^(\d{1,9})\/(\w+)$/.exec(trimmed)
  const windowMs = match ? RATE_WINDOWS[match[2]!] : undefined
  if (!match || windowMs === undefined || Number(match[1]) < 1) {
    throw new ConfigError(
      `${name} must be a count per window such as 60/min, 5/s or 1000/hour (0 or off: no limit), got "${text}"`,
    )
  }
  return { limit: Number(match[1]), windowMs }
}

function parseLogLevel(text: string): string {
  if (!LOG_LEVELS.includes(text)) {
    throw new ConfigError(
      `BACKTRACK_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${text}"`,
    )
  }
  return text
}
