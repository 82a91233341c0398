import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { encodeClick } from '../../src/clicks/click-line.ts'
import { defaultUnwrittenClicksPath, spillClicks } from '../../src/clicks/unwritten-clicks.ts'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { queuedClick } from '../helpers/clicks.ts'
import {
  createTestDatabase,
  describePostgres,
  TEST_PG_URL,
  type TestDatabase,
} from '../helpers/engines.ts'
import { type Child, databaseEnv, runBacktrack } from '../helpers/processes.ts'
import { startTcpProxy, type TcpProxy, throughProxy } from '../helpers/tcp-proxy.ts'
import { TEST_ADMIN_KEY } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'

describePostgres('clicks the database would not take at shutdown', () => {
  let database: TestDatabase | undefined
  let proxy: TcpProxy | undefined
  let db: Database | undefined
  let dir: string | undefined
  const children: Child[] = []
  afterEach(async () => {
    for (const child of children.splice(0)) await child.stop('SIGKILL')
    await db?.close()
    await proxy?.close()
    await database?.drop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('are kept in a file, one line each, and stored and the file removed at the next start', async () => {
    database = await createTestDatabase('postgres')
    proxy = await startTcpProxy(Number(new URL(TEST_PG_URL).port || 5432))
    dir = mkdtempSync(join(tmpdir(), 'backtrack-unwritten-'))
    const file = join(dir, 'unwritten-clicks.jsonl')
    const env = {
      ...databaseEnv(throughProxy(database.config, proxy)),
      PORT: '0',
      HOST: '127.0.0.1',
      BACKTRACK_ADMIN_KEY: TEST_ADMIN_KEY,
      BACKTRACK_LOG_LEVEL: 'warn',
      BACKTRACK_UNWRITTEN_CLICKS: file,
    }
    const start = async () => {
      const child = runBacktrack(['serve'], env)
      children.push(child)
      return { child, url: (await child.waitFor(/listening on (http:\/\/\S+)/))[1]! }
    }
    const first = await start()
    const api = async (path: string, body: unknown) => {
      const response = await fetch(`${first.url}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      expect(response.status).toBe(201)
      return (await response.json()) as { id: string }
    }
    const advertiser = await api('/advertisers', { name: 'Acme' })
    const offer = await api('/offers', {
      advertiser_id: advertiser.id,
      name: 'Shoes',
      destination_url: 'https://shop.example/?cid={click_id}',
      revenue: 1,
      payout: 1,
    })
    const affiliate = await api('/affiliates', { name: 'Traffic' })

    // The tracking link knows the offer once its catalog has reloaded.
    const link = `${first.url}/c/${offer.id}?aff_id=${affiliate.id}`
    await waitFor(async () => (await fetch(link, { redirect: 'manual' })).status === 302, {
      timeoutMs: 10_000,
      message: 'the tracking link to know the offer',
    })
    proxy.cut()
    const redirected: string[] = []
    for (let n = 0; n < 50; n++) {
      const response = await fetch(`${link}&sub1=${n}`, { redirect: 'manual' })
      expect(response.status).toBe(302)
      redirected.push(new URL(response.headers.get('location')!).searchParams.get('cid')!)
    }
    await first.child.stop()
    expect(await first.child.exited).toBe(0)

    // The click that found the link known may have been waiting for its commit too.
    const kept = readFileSync(file, 'utf8').trimEnd().split('\n')
    expect(kept.length - redirected.length).toBeLessThanOrEqual(1)
    for (const id of redirected)
      expect(kept.filter((line) => line.includes(`"${id}"`))).toHaveLength(1)
    // Named by count and path in the log, not dumped into it.
    expect(first.child.output()).toMatch(/clicks not written at shutdown kept for the next start/)
    expect(first.child.output()).not.toContain(redirected[0])

    proxy.restore()
    const second = await start()
    expect(existsSync(file)).toBe(false)
    db = openDatabase(database.config)
    const stored = await db.db.selectFrom('clicks').select(['click_id', 'sub1']).execute()
    const ids = new Set(stored.map((row) => row.click_id))
    expect(redirected.filter((id) => !ids.has(id))).toEqual([])
    expect(stored.filter((row) => row.sub1 !== null)).toHaveLength(redirected.length)
    await second.child.stop()
    expect(await second.child.exited).toBe(0)
  }, 60_000)
})

describe('the file of unwritten clicks', () => {
  it('lies beside the SQLite file, or in ./data with PostgreSQL', () => {
    expect(defaultUnwrittenClicksPath({ engine: 'sqlite', path: '/var/bt/bt.db' })).toBe(
      '/var/bt/bt.db.unwritten-clicks.jsonl',
    )
    expect(defaultUnwrittenClicksPath({ engine: 'postgres', url: 'postgres://h/db' })).toBe(
      'data/unwritten-clicks.jsonl',
    )
  })

  it('when it cannot be written, each click goes to the log on a line of its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backtrack-unwritten-'))
    writeFileSync(join(dir, 'file'), '')
    const lines = [1, 2, 3].map((n) => encodeClick(queuedClick({ sub1: `s${n}` })))
    const logged: Array<[object, string]> = []
    spillClicks(join(dir, 'file', 'clicks.jsonl'), lines, {
      error: (object, message) => logged.push([object, message]),
    })
    rmSync(dir, { recursive: true })
    expect(logged[0]![1]).toMatch(/could not be written/)
    expect(logged.slice(1)).toEqual(
      lines.map((click) => [{ click }, 'click not written at shutdown']),
    )
  })
})
