import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { describePostgres, TEST_PG_URL } from '../helpers/engines.ts'
import { type Child, runBacktrack as run } from '../helpers/processes.ts'

/** A start-up error: one line on stderr, no stack trace, exit code 1. */
async function expectOneLineFailure(child: Child): Promise<string> {
  expect(await child.exited).toBe(1)
  const lines = child.stderr().trimEnd().split('\n')
  const failure = lines.at(-1) ?? ''
  expect(failure).toMatch(/^backtrack: /)
  expect(child.stderr()).not.toMatch(/^\s+at /m)
  return failure
}

describe('start-up errors', () => {
  const dirs: string[] = []
  const servers: Server[] = []
  afterEach(async () => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
    for (const server of servers.splice(0)) await new Promise((done) => server.close(done))
  })

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'backtrack-startup-'))
    dirs.push(dir)
    return dir
  }

  it('names a database path under a regular file, and the file in the way', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'plain-file'), '')
    const path = join(dir, 'plain-file', 'data', 'bt.db')
    const failure = await expectOneLineFailure(run(['serve', '--db', path], { PORT: '0' }))
    expect(failure).toContain(path)
    expect(failure).toContain(`${join(dir, 'plain-file')} is a file, not a directory`)
    expect(failure).toContain('BACKTRACK_DB')
  })

  it('names a database path that is a directory', async () => {
    const dir = tempDir()
    const failure = await expectOneLineFailure(run(['migrate'], { BACKTRACK_DB: dir }))
    expect(failure).toContain(`the SQLite database ${dir} is a directory`)
  })

  it('names the host and port of a PostgreSQL that does not answer, after BACKTRACK_DB_WAIT', async () => {
    const port = await freePort()
    const started = Date.now()
    const child = run(['serve'], {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`,
      BACKTRACK_DB_WAIT: '1s',
      PORT: '0',
    })
    const failure = await expectOneLineFailure(child)
    expect(failure).toContain(`PostgreSQL at 127.0.0.1:${port} did not answer within 1s`)
    expect(failure).toContain('BACKTRACK_DB_WAIT')
    // It said it was waiting, then gave up in bounded time (start-up itself takes a few seconds).
    expect(child.stderr()).toContain(`waiting up to 1s for PostgreSQL at 127.0.0.1:${port}`)
    expect(Date.now() - started).toBeLessThan(20_000)
  })

  it('stops waiting for PostgreSQL on SIGTERM', async () => {
    const port = await freePort()
    const child = run(['worker'], {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`,
      BACKTRACK_DB_WAIT: '5m',
    })
    await child.waitFor(/waiting up to 5m for PostgreSQL/)
    const signalled = Date.now()
    child.process.kill('SIGTERM')
    const failure = await expectOneLineFailure(child)
    expect(failure).toContain(`stopped while waiting for PostgreSQL at 127.0.0.1:${port}`)
    expect(Date.now() - signalled).toBeLessThan(10_000)
  })

  it('names a port in use and the flag that changes it', async () => {
    const taken = createServer()
    servers.push(taken)
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const port = (taken.address() as { port: number }).port
    const child = run(['serve'], {
      BACKTRACK_DB: join(tempDir(), 'bt.db'),
      PORT: String(port),
      HOST: '127.0.0.1',
    })
    const failure = await expectOneLineFailure(child)
    expect(failure).toBe(
      `backtrack: port ${port} is already in use on 127.0.0.1; choose another with --port or PORT`,
    )
    expect(child.output()).not.toContain('listening on')
  })

  it('says which flag is unknown and points to --help', async () => {
    const failure = await expectOneLineFailure(run(['serve', '--prot', '8080'], {}))
    expect(failure).toBe('backtrack: unknown option --prot; see backtrack --help')
  })

  it('says which flag lacks its value', async () => {
    const failure = await expectOneLineFailure(run(['serve', '--port'], {}))
    expect(failure).toBe('backtrack: option --port needs a value; see backtrack --help')
  })

  it('says which command is unknown and points to --help', async () => {
    const failure = await expectOneLineFailure(run(['srve'], {}))
    expect(failure).toBe('backtrack: unknown command "srve"; see backtrack --help')
  })

  it('prints its version', async () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8'))
    const version = run(['--version'], {})
    expect(await version.exited).toBe(0)
    expect(version.stdout()).toBe(`backtrack ${pkg.version}\n`)
  })
})

describePostgres('start-up against a PostgreSQL that answers no', () => {
  it('fails at once when waiting would not help (an unknown role), naming host and port', async () => {
    const url = new URL(TEST_PG_URL)
    url.username = 'no_such_role_here'
    const started = Date.now()
    const failure = await expectOneLineFailure(
      run(['migrate'], { DATABASE_URL: url.href, BACKTRACK_DB_WAIT: '1m' }),
    )
    expect(failure).toContain(`PostgreSQL at ${url.hostname}:${url.port || 5432} refused`)
    expect(failure).toContain('no_such_role_here')
    expect(failure).toContain('DATABASE_URL')
    // Not the minute it was allowed to wait.
    expect(Date.now() - started).toBeLessThan(20_000)
  })
})

/** A loopback port nothing listens on. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}
