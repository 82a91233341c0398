import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runBacktrack as run } from '../helpers/processes.ts'

const BIN = join(import.meta.dirname, '../../bin/backtrack.js')

describe('npx backtrack', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('documents every command and variable in --help', async () => {
    const help = run(['--help'], {})
    expect(await help.exited).toBe(0)
    for (const word of [
      'serve',
      'migrate',
      'backup',
      'PORT',
      'HOST',
      'BACKTRACK_DB',
      'DATABASE_URL',
      'BACKTRACK_DB_WAIT',
      '--version',
      'BACKTRACK_ADMIN_KEY',
      'BACKTRACK_RETRY_SCHEDULE',
      'BACKTRACK_ALLOW_PRIVATE_TARGETS',
      'BACKTRACK_RATE_LIMIT_POSTBACK_REFUSALS',
      'BACKTRACK_RATE_LIMIT_AUTH_FAILURES',
    ]) {
      expect(help.output()).toContain(word)
    }
  })

  /** Starts bin/backtrack.js as `command` runs it and waits for `ready` on its stdout. */
  async function startThroughBin(command: string[], ready: string) {
    const dir = mkdtempSync(join(tmpdir(), 'backtrack-cli-'))
    dirs.push(dir)
    const [file, ...args] = command
    const child = spawn(file!, args, {
      env: {
        PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
        BACKTRACK_DB: join(dir, 'bt.db'),
        PORT: '0',
        HOST: '127.0.0.1',
      },
      // Where the default ./data/backtrack.db would go, should the variables be lost.
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = new Promise((resolve) => child.once('exit', resolve))
    let output = ''
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk
        if (output.includes(ready)) resolve()
      })
      child.once('exit', () => reject(new Error(`exited before "${ready}": ${output}`)))
    })
    const commandLine = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0')
    child.kill('SIGTERM')
    const usedDatabases = readdirSync(dir)
    return { commandLine, exitCode: await exited, usedDatabases }
  }

  it('runs through its shebang with the V8 flags that bound its memory', async () => {
    const serve = await startThroughBin([BIN, 'serve'], 'listening on')
    expect(serve.commandLine).toContain('--max-semi-space-size=8')
    expect(serve.commandLine).toContain('--heap-growing-percent=50')
    expect(serve.exitCode).toBe(0)
  })

  it('runs a standalone worker in the same process on V8 defaults, unless flags were chosen', async () => {
    const worker = await startThroughBin([BIN, 'worker'], 'delivery worker')
    expect(worker.commandLine).toContain('worker')
    expect(worker.commandLine.filter((word) => word.startsWith('--'))).toEqual([])
    // It kept its environment: BACKTRACK_DB, not the default path.
    expect(worker.usedDatabases).toContain('bt.db')
    expect(worker.usedDatabases).not.toContain('data')
    expect(worker.exitCode).toBe(0)

    const chosen = await startThroughBin(
      [process.execPath, '--max-semi-space-size=4', BIN, 'worker'],
      'delivery worker',
    )
    expect(chosen.commandLine).toContain('--max-semi-space-size=4')
    expect(chosen.exitCode).toBe(0)
  })

  it('stops a bad setting at start with a message naming the variable', async () => {
    const bad = run(['serve'], { PORT: 'eighty' })
    expect(await bad.exited).toBe(1)
    expect(bad.output()).toContain('PORT must be a port number')
  })

  it('serves on SQLite, prints a generated admin key once, logs no secret and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backtrack-cli-'))
    dirs.push(dir)
    const env = { BACKTRACK_DB: join(dir, 'bt.db'), PORT: '0', HOST: '127.0.0.1' }
    const first = run(['serve'], env)
    const [, key] = await first.waitFor(/admin key \(shown once[^:]*: (\S+)/)
    const [, url] = await first.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/)
    const health = await fetch(`${url}/healthz`)
    expect(health.status).toBe(200)
    const advertiser = await fetch(`${url}/api/v1/advertisers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Acme' }),
    })
    expect(advertiser.status).toBe(201)
    const { postback_token: token } = (await advertiser.json()) as { postback_token: string }
    await fetch(`${url}/nope?token=${token}`)
    // Log lines are buffered but reach stdout within about a second, not only at shutdown.
    await first.waitFor(/"url":"\/nope\?token=\*\*\*"/, 5000)
    const offer = await createTrackedOffer(url!, key!)
    const redirect = await fetch(`${url}/c/${offer}`, { redirect: 'manual' })
    expect(redirect.status).toBe(400)
    const click = await fetch(`${url}/c/${offer}?aff_id=${offer}&sub1=logged-click`, {
      redirect: 'manual',
    })
    expect(click.status).toBe(302)
    first.process.kill('SIGTERM')
    expect(await first.exited).toBe(0)
    const logs = first.output()
    expect(logs.split(key!).length - 1).toBe(1)
    expect(logs).not.toContain(token)
    expect(logs).toContain('"url":"/nope?token=***"')
    // The tracking link's errors are logged; its redirects are click rows, not log lines.
    expect(logs).toContain(`"url":"/c/${offer}","route":"/c/:offer_id","status":400`)
    expect(logs).not.toContain('logged-click')

    const second = run(['serve'], env)
    await second.waitFor(/listening on/)
    expect(second.output()).not.toContain('admin key')
    second.process.kill('SIGTERM')
    expect(await second.exited).toBe(0)
  })

  it('migrates a SQLite file once when several processes start together', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backtrack-cli-'))
    dirs.push(dir)
    const runs = Array.from({ length: 4 }, () =>
      run(['migrate', '--db', join(dir, 'shared.db')], {}),
    )
    expect(await Promise.all(runs.map((r) => r.exited))).toEqual([0, 0, 0, 0])
    const applied = runs.filter((r) => r.output().startsWith('applied 0001-catalog'))
    expect(applied).toHaveLength(1)
  })

  it('migrates and exits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backtrack-cli-'))
    dirs.push(dir)
    const migrate = run(['migrate', '--db', join(dir, 'm.db')], {})
    expect(await migrate.exited).toBe(0)
    expect(migrate.output()).toContain('applied 0001-catalog')
  })
})

/** An advertiser, an offer and an affiliate whose id equals the offer's (both are the first). */
async function createTrackedOffer(url: string, key: string): Promise<string> {
  const post = async (path: string, body: object) => {
    const response = await fetch(`${url}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    expect(response.status).toBe(201)
    return (await response.json()) as { id: string }
  }
  const advertiser = await post('/advertisers', { name: 'Logs' })
  const offer = await post('/offers', {
    advertiser_id: advertiser.id,
    name: 'Logged offer',
    destination_url: 'https://shop.example/?cid={click_id}',
    revenue: '1.00',
    payout: '0.50',
  })
  const affiliate = await post('/affiliates', { name: 'Logs' })
  expect(affiliate.id).toBe(offer.id)
  return offer.id
}
