import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestDatabase, describePostgres, TEST_PG_URL } from '../helpers/engines.ts'
import { type Child, databaseEnv, runBacktrack as run } from '../helpers/processes.ts'
import { httpRequest, TEST_ADMIN_KEY } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'

const ADMIN_KEY_LINE = /^admin key \(shown once[^:]*: (\S+)$/m
const PUBLIC_URL_WARNING = 'warning: BACKTRACK_PUBLIC_URL is not set'

describe('what `backtrack serve` prints at start', () => {
  const dirs: string[] = []
  const children: Child[] = []
  afterEach(async () => {
    for (const child of children.splice(0)) await child.stop('SIGKILL')
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  function serve(env: Record<string, string>): Child {
    const dir = mkdtempSync(join(tmpdir(), 'backtrack-output-'))
    dirs.push(dir)
    const child = run(['serve'], { BACKTRACK_DB: join(dir, 'bt.db'), PORT: '0', ...env })
    children.push(child)
    return child
  }

  it('prints one listening line, then the generated admin key alone on stderr', async () => {
    const child = serve({ HOST: '127.0.0.1' })
    const [, key] = await child.waitFor(ADMIN_KEY_LINE)
    const output = child.output()
    expect(output.indexOf('listening on http://127.0.0.1:')).toBeGreaterThanOrEqual(0)
    expect(output.indexOf('listening on')).toBeLessThan(output.indexOf('admin key'))
    expect(output.match(/listening/gi)).toHaveLength(1)
    expect(child.stdout()).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/m)
    expect(child.stdout()).not.toContain(key)
    expect(child.stderr()).toBe(`admin key (shown once, stored hashed; keep it safe): ${key}\n`)
    // Listening on loopback, links that say localhost are right: no warning (it would come
    // before the key), and node:sqlite's ExperimentalWarning is not shown either.
    expect(output).not.toContain(PUBLIC_URL_WARNING)
    expect(output).not.toContain('ExperimentalWarning')
    await child.stop()
    expect(await child.exited).toBe(0)
    // Log lines are buffered: only now, flushed at exit, would Fastify's own listen lines show.
    expect(child.output().match(/listening/gi)).toHaveLength(1)
    expect(child.output()).not.toContain('ExperimentalWarning')
  })

  it('warns when it listens beyond loopback with no BACKTRACK_PUBLIC_URL', async () => {
    const child = serve({ HOST: '0.0.0.0' })
    await child.waitFor(ADMIN_KEY_LINE)
    const [warning] = child.stderr().split('\n')
    expect(warning).toMatch(
      /^warning: BACKTRACK_PUBLIC_URL is not set, so every tracking and postback link says http:\/\/localhost:0, yet the server listens on 0\.0\.0\.0/,
    )
    expect(child.stdout()).toMatch(/^listening on http:\/\/0\.0\.0\.0:\d+$/m)
  })

  it('does not warn when BACKTRACK_PUBLIC_URL is set', async () => {
    const child = serve({ HOST: '0.0.0.0', BACKTRACK_PUBLIC_URL: 'https://track.example' })
    await child.waitFor(ADMIN_KEY_LINE)
    expect(child.output()).not.toContain(PUBLIC_URL_WARNING)
  })

  it('stores a click without an ExperimentalWarning from the click store thread', async () => {
    const child = serve({ HOST: '127.0.0.1', BACKTRACK_ADMIN_KEY: TEST_ADMIN_KEY })
    const [, url] = await child.waitFor(/listening on (http:\/\/\S+)/)
    const post = (path: string, body: unknown) => httpRequest(url!, 'POST', path, { body })
    await post('/api/v1/advertisers', { name: 'A' })
    const offer = await post('/api/v1/offers', {
      advertiser_id: '1',
      name: 'O',
      destination_url: 'https://shop.example/?c={click_id}',
      revenue: '1',
      payout: '1',
    })
    const affiliate = await post('/api/v1/affiliates', { name: 'F' })
    const link = `${url}/c/${offer.body.id}?aff_id=${affiliate.body.id}`
    const click = await fetch(link, { redirect: 'manual' })
    expect(click.status).toBe(302)
    // The click is stored by its own thread: once it can be read back, the thread has run.
    const clickId = new URL(click.headers.get('location')!).searchParams.get('c')
    await waitFor(
      async () => (await httpRequest(url!, 'GET', `/api/v1/clicks/${clickId}`)).status === 200,
      { message: 'the click to be stored' },
    )
    await child.stop()
    expect(child.output()).not.toContain('ExperimentalWarning')
  })

  it('migrates without an ExperimentalWarning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backtrack-output-'))
    dirs.push(dir)
    const migrate = run(['migrate', '--db', join(dir, 'm.db')], {})
    expect(await migrate.exited).toBe(0)
    expect(migrate.output()).toMatch(/^applied 0001-catalog/)
    expect(migrate.output()).not.toContain('ExperimentalWarning')
  })
})

describePostgres('a server started before PostgreSQL answers', () => {
  const children: Child[] = []
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const child of children.splice(0)) await child.stop('SIGKILL')
    for (const cleanup of cleanups.splice(0)) await cleanup()
  })

  it('waits for it, then serves', async () => {
    const database = await createTestDatabase('postgres')
    cleanups.push(() => database.drop())
    // PostgreSQL is reached through a port that nothing listens on yet: connections are
    // refused, as they are while a compose file's database container starts.
    const proxy = await delayedProxy(new URL(TEST_PG_URL))
    cleanups.push(() => proxy.close())
    const url = new URL(databaseEnv(database.config).DATABASE_URL!)
    url.host = `127.0.0.1:${proxy.port}`
    const child = run(['serve'], {
      DATABASE_URL: url.href,
      BACKTRACK_ADMIN_KEY: TEST_ADMIN_KEY,
      PORT: '0',
      HOST: '127.0.0.1',
    })
    children.push(child)
    await child.waitFor(
      new RegExp(`waiting up to 30s for PostgreSQL at 127\\.0\\.0\\.1:${proxy.port}`),
    )
    await proxy.open()
    const [, base] = await child.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/)
    const health = await fetch(`${base}/healthz`)
    expect(health.status).toBe(200)
    await child.stop()
    expect(await child.exited).toBe(0)
  })
})

/** A TCP port that refuses connections until `open()`, then forwards them to `target`. */
async function delayedProxy(target: URL) {
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = createConnection(Number(target.port || 5432), target.hostname)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return {
    port,
    open: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        if (!server.listening) return resolve()
        server.close(() => resolve())
      }),
  }
}
