import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.ts'

describe('config', () => {
  it('has the contract defaults', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      database: { engine: 'sqlite', path: './data/backtrack.db' },
      adminKey: undefined,
      allowPrivateTargets: false,
      publicUrl: 'http://localhost:8080',
    })
    expect(config.retryScheduleMs).toEqual([
      10e3, 60e3, 300e3, 1800e3, 7200e3, 21600e3, 43200e3, 86400e3,
    ])
  })

  it('lets flags win over the environment and DATABASE_URL select PostgreSQL', () => {
    const config = loadConfig(
      { PORT: '1', HOST: 'h', DATABASE_URL: 'postgres://u@db/x' },
      { port: '2', host: 'k' },
    )
    expect(config).toMatchObject({
      port: 2,
      host: 'k',
      database: { engine: 'postgres', url: 'postgres://u@db/x' },
    })
  })

  it('waits 30 s for the database unless told otherwise; 0 tries once', () => {
    expect(loadConfig({}).databaseWaitMs).toBe(30_000)
    expect(loadConfig({ BACKTRACK_DB_WAIT: '2m' }).databaseWaitMs).toBe(120_000)
    expect(loadConfig({ BACKTRACK_DB_WAIT: '0' }).databaseWaitMs).toBe(0)
  })

  it('takes database timeouts for the engine in use, and leaves the defaults to it otherwise', () => {
    const url = 'postgres://u@h/db'
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ engine: 'postgres', url })
    expect(
      loadConfig({
        DATABASE_URL: url,
        BACKTRACK_DB_CONNECT_TIMEOUT: '2s',
        BACKTRACK_DB_STATEMENT_TIMEOUT: '1m',
      }).database,
    ).toMatchObject({ connectTimeoutMs: 2000, statementTimeoutMs: 60_000 })
    expect(loadConfig({ BACKTRACK_DB_LOCK_TIMEOUT: '500ms' }).database).toMatchObject({
      engine: 'sqlite',
      lockTimeoutMs: 500,
    })
  })

  it('knows when the public URL is only a localhost guess', () => {
    expect(loadConfig({}).publicUrlGuessed).toBe(true)
    expect(loadConfig({ BACKTRACK_PUBLIC_URL: 'https://t.example' }).publicUrlGuessed).toBe(false)
  })

  it('limits refused postbacks to 60/min and failed API keys to 20/min per address; 0 is off', () => {
    const defaults = loadConfig({})
    expect(defaults.postbackRefusalLimit).toEqual({ limit: 60, windowMs: 60_000 })
    expect(defaults.authFailureLimit).toEqual({ limit: 20, windowMs: 60_000 })
    const set = loadConfig({
      BACKTRACK_RATE_LIMIT_POSTBACK_REFUSALS: '5/s',
      BACKTRACK_RATE_LIMIT_AUTH_FAILURES: '0',
    })
    expect(set.postbackRefusalLimit).toEqual({ limit: 5, windowMs: 1000 })
    expect(set.authFailureLimit).toBeUndefined()
  })

  it('serves no worker metrics unless asked, on the port given', () => {
    expect(loadConfig({}).workerMetricsPort).toBeUndefined()
    expect(loadConfig({ BACKTRACK_WORKER_METRICS_PORT: '9464' }).workerMetricsPort).toBe(9464)
  })

  it.each([
    'bt-demo-key-Vq7Lx2Rk9Wm4Tz8P',
    'q3Zr8LpX2mVn7TbK',
    '2a984bf15628e2e5be1f6df782e038fe',
    'mC/ZQCRdBfb0zfH8ILafBvoOF4DCwyYB',
  ])('accepts the random-looking admin key %s', (key) => {
    expect(loadConfig({ BACKTRACK_ADMIN_KEY: key }).adminKey).toBe(key)
  })

  it.each([
    [{ PORT: 'http' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ BACKTRACK_ADMIN_KEY: 'short' }, 'BACKTRACK_ADMIN_KEY'],
    [{ BACKTRACK_ADMIN_KEY: 'change-me-to-a-long-secret' }, 'BACKTRACK_ADMIN_KEY'],
    [{ BACKTRACK_ADMIN_KEY: 'test-admin-key-0123456789' }, 'BACKTRACK_ADMIN_KEY'],
    [{ BACKTRACK_ADMIN_KEY: 'my-super-secret-admin-key-2024' }, 'BACKTRACK_ADMIN_KEY'],
    [{ BACKTRACK_ADMIN_KEY: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }, 'BACKTRACK_ADMIN_KEY'],
    [{ BACKTRACK_ADMIN_KEY: 'abcdefghijklmnopqrstuvwxyz012345' }, 'BACKTRACK_ADMIN_KEY'],
    [{ BACKTRACK_ADMIN_KEY: 'Xk9pXk9pXk9pXk9pXk9pXk9p' }, 'BACKTRACK_ADMIN_KEY'],
    [{ BACKTRACK_ADMIN_KEY: 'passwordpasswordpassword' }, 'BACKTRACK_ADMIN_KEY'],
    [{ BACKTRACK_RETRY_SCHEDULE: '10s,soon' }, 'BACKTRACK_RETRY_SCHEDULE'],
    [{ BACKTRACK_ALLOW_PRIVATE_TARGETS: 'yes' }, 'BACKTRACK_ALLOW_PRIVATE_TARGETS'],
    [{ BACKTRACK_TRUST_PROXY: '10.0.0.0/99' }, 'BACKTRACK_TRUST_PROXY'],
    [{ BACKTRACK_LOG_LEVEL: 'loud' }, 'BACKTRACK_LOG_LEVEL'],
    [{ BACKTRACK_PUBLIC_URL: 'ftp://x' }, 'BACKTRACK_PUBLIC_URL'],
    [{ BACKTRACK_WORKER_METRICS_PORT: '9464x' }, 'BACKTRACK_WORKER_METRICS_PORT'],
    [{ BACKTRACK_WORKER_METRICS_PORT: '65536' }, 'BACKTRACK_WORKER_METRICS_PORT'],
    [{ BACKTRACK_DB_WAIT: '30' }, 'BACKTRACK_DB_WAIT'],
    [{ BACKTRACK_RATE_LIMIT_POSTBACK_REFUSALS: '60' }, 'BACKTRACK_RATE_LIMIT_POSTBACK_REFUSALS'],
    [{ BACKTRACK_RATE_LIMIT_AUTH_FAILURES: '5/fortnight' }, 'BACKTRACK_RATE_LIMIT_AUTH_FAILURES'],
    [{ BACKTRACK_DB_LOCK_TIMEOUT: 'soon' }, 'BACKTRACK_DB_LOCK_TIMEOUT'],
  ])('refuses %o with a message naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(name)
  })
})
