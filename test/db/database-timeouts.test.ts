import { DatabaseSync } from 'node:sqlite'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { type Config, loadConfig } from '../../src/config.ts'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { isDatabaseUnavailable } from '../../src/db/database-unavailable.ts'
import { type RunningServer, startServer } from '../../src/main.ts'
import {
  createTestDatabase,
  describePostgres,
  TEST_PG_URL,
  type TestDatabase,
} from '../helpers/engines.ts'
import { startTcpProxy, type TcpProxy, throughProxy } from '../helpers/tcp-proxy.ts'
import { TEST_ADMIN_KEY } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'

function serverConfig(database: Config['database']): Config {
  return {
    ...loadConfig({ BACKTRACK_ADMIN_KEY: TEST_ADMIN_KEY, BACKTRACK_LOG_LEVEL: 'silent' }),
    host: '127.0.0.1',
    port: 0,
    database,
  }
}

async function timed(path: string, server: RunningServer, init: RequestInit = {}) {
  const started = Date.now()
  const response = await fetch(server.url + path, {
    ...init,
    headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
  })
  const body = (await response.json()) as { error?: { code: string } }
  return { status: response.status, body, ms: Date.now() - started }
}

describePostgres('PostgreSQL timeouts', () => {
  let testDb: TestDatabase | undefined
  let proxy: TcpProxy | undefined
  let server: RunningServer | undefined
  let database: Database | undefined
  afterEach(async () => {
    proxy?.restore()
    await server?.close()
    await database?.close()
    await proxy?.close()
    await testDb?.drop()
    server = undefined
    database = undefined
  })

  it('a database that hangs fails requests in bounded time with 503, and serves again once back', async () => {
    testDb = await createTestDatabase('postgres')
    proxy = await startTcpProxy(Number(new URL(TEST_PG_URL).port || 5432))
    const through = throughProxy(testDb.config, proxy)
    if (through.engine !== 'postgres') throw new Error('PostgreSQL expected')
    server = await startServer(
      serverConfig({ ...through, connectTimeoutMs: 500, statementTimeoutMs: 1000 }),
      { logger: false, print: () => {} },
    )
    expect((await timed('/api/v1/offers', server)).status).toBe(200)

    proxy.hang()
    // A connection already open waits for an answer that never comes: the read timeout (the
    // statement timeout and a margin) ends it. A new one never completes: the connect timeout.
    for (let i = 0; i < 3; i++) {
      const hung = await timed('/api/v1/offers', server)
      expect(hung.status).toBe(503)
      expect(hung.body.error?.code).toBe('unavailable')
      expect(hung.ms).toBeLessThan(5000)
    }
    const health = await timed('/healthz', server)
    expect(health.status).toBe(503)

    proxy.restore()
    const running = server
    await waitFor(async () => (await timed('/api/v1/offers', running)).status === 200, {
      timeoutMs: 10_000,
      message: 'the API to answer once the database is back',
    })
  }, 60_000)

  it('a statement running past the statement timeout is cancelled by the server', async () => {
    testDb = await createTestDatabase('postgres')
    if (testDb.config.engine !== 'postgres') throw new Error('PostgreSQL expected')
    database = openDatabase({ ...testDb.config, statementTimeoutMs: 200 })
    const started = Date.now()
    const error = await sql`select pg_sleep(5)`.execute(database.db).then(
      () => undefined,
      (caught: unknown) => caught,
    )
    expect(error).toMatchObject({ code: '57014' })
    expect(isDatabaseUnavailable(error)).toBe(true)
    expect(Date.now() - started).toBeLessThan(2000)
  })
})

describe('SQLite lock timeout', () => {
  let testDb: TestDatabase | undefined
  let server: RunningServer | undefined
  let other: DatabaseSync | undefined
  afterEach(async () => {
    if (other?.isTransaction) other.exec('rollback')
    other?.close()
    await server?.close()
    await testDb?.drop()
  })

  it('a write waits a bounded time for another process holding the lock, answers 503, then works', async () => {
    testDb = await createTestDatabase('sqlite')
    if (testDb.config.engine !== 'sqlite') throw new Error('SQLite expected')
    server = await startServer(serverConfig({ ...testDb.config, lockTimeoutMs: 300 }), {
      logger: false,
      print: () => {},
    })
    other = new DatabaseSync(testDb.config.path)
    other.exec('begin immediate')
    const body = JSON.stringify({ name: 'Acme' })
    const locked = await timed('/api/v1/advertisers', server, { method: 'POST', body })
    expect(locked.status).toBe(503)
    expect(locked.body.error?.code).toBe('unavailable')
    expect(locked.ms).toBeGreaterThanOrEqual(250)
    expect(locked.ms).toBeLessThan(3000)

    other.exec('commit')
    expect((await timed('/api/v1/advertisers', server, { method: 'POST', body })).status).toBe(201)
  })
})
