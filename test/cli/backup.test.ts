import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { click, setUp } from '../conversions/postback-helpers.ts'
import { TEST_PG_URL } from '../helpers/engines.ts'
import { runBacktrack, serveProcess } from '../helpers/processes.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'

describe('npx backtrack backup', () => {
  const cleanups: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'backtrack-backup-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    return dir
  }

  /** Clicks and postbacks, `lanes` at a time, until stopped; every acknowledged conversion kept. */
  function sendLoad(t: TestServer, catalog: Awaited<ReturnType<typeof setUp>>, lanes: number) {
    const acknowledged: Array<{ id: string; at: number }> = []
    const refused: string[] = []
    let running = true
    let n = 0
    const lane = async () => {
      while (running) {
        const clickId = await click(t, catalog.offer.id, catalog.affiliate.id, { sub1: 'load' })
        const query = new URLSearchParams({
          click_id: clickId,
          txid: `order-${n++}`,
          amount: '10.00',
          token: catalog.token,
        })
        const answer = await fetch(`${t.url}/postback?${query}`)
        const body = (await answer.json()) as { conversion_id?: string }
        if (answer.status === 200 && body.conversion_id) {
          acknowledged.push({ id: body.conversion_id, at: Date.now() })
        } else refused.push(`${answer.status} ${JSON.stringify(body)}`)
      }
    }
    const done = Promise.all(Array.from({ length: lanes }, lane))
    return {
      acknowledged,
      refused,
      stop: async () => {
        running = false
        await done
      },
    }
  }

  it('copies a SQLite database while the server takes clicks and postbacks, and the copy serves them', async () => {
    const t = await startTestServer('sqlite')
    cleanups.push(() => t.close())
    if (t.config.database.engine !== 'sqlite') throw new Error('a SQLite test server')
    const path = t.config.database.path
    // 40 MB the copy has to read, so the backup lasts while the load runs.
    const ballast = new DatabaseSync(path, { timeout: 5000 })
    ballast.exec(`create table ballast (b blob);
      with recursive n(i) as (select 1 union all select i + 1 from n where i < 10000)
      insert into ballast select randomblob(4000) from n`)
    ballast.close()

    const catalog = await setUp(t)
    const load = sendLoad(t, catalog, 4)
    cleanups.push(() => load.stop())
    const dir = tempDir()
    const copies = [join(dir, 'first.db'), join(dir, 'second.db')]
    const windows: Array<{ from: number; to: number; before: Set<string> }> = []
    for (const copy of copies) {
      // Some conversions first, then the copy while more keep coming.
      const floor = load.acknowledged.length + 10
      while (load.acknowledged.length < floor) await new Promise((r) => setTimeout(r, 20))
      const before = new Set(load.acknowledged.map((ack) => ack.id))
      const from = Date.now()
      const backup = runBacktrack(['backup', copy], { BACKTRACK_DB: path })
      expect(await backup.exited, backup.output()).toBe(0)
      expect(backup.stdout()).toMatch(/^backed up to \S+ \(\d+\.\d MB in \d+ ms\)\n$/)
      windows.push({ from, to: Date.now(), before })
    }
    await load.stop()

    // The server never waited for the copy: every postback was acknowledged, during it too.
    expect(load.refused).toEqual([])
    for (const { from, to } of windows) {
      expect(load.acknowledged.some((ack) => ack.at > from && ack.at < to)).toBe(true)
    }
    expect(readdirSync(dir).sort()).toEqual(['first.db', 'second.db'])
    expect(statSync(copies[1]!).mode & 0o777).toBe(0o600)

    const { before } = windows[1]!
    const copy = new DatabaseSync(copies[1]!, { readOnly: true })
    expect(copy.prepare('pragma integrity_check').get()).toEqual({ integrity_check: 'ok' })
    const inCopy = copy.prepare('select count(*) as n from conversions').get() as { n: number }
    copy.close()
    expect(inCopy.n).toBeGreaterThanOrEqual(before.size)
    expect(inCopy.n).toBeLessThanOrEqual(load.acknowledged.length)

    // Restore: a server started on the copy reads back every conversion acknowledged before it.
    const restored = await serveProcess({ BACKTRACK_DB: copies[1]! })
    cleanups.push(() => restored.child.stop())
    expect((await restored.request('GET', '/healthz', { key: null })).status).toBe(200)
    for (const id of before) {
      const conversion = await restored.request('GET', `/api/v1/conversions/${id}`)
      expect(conversion.status).toBe(200)
      expect(conversion.body.offer_id).toBe(catalog.offer.id)
    }
  }, 120_000)

  it('refuses to overwrite a file, and leaves it as it was', async () => {
    const dir = tempDir()
    const database = join(dir, 'backtrack.db')
    const migrate = runBacktrack(['migrate'], { BACKTRACK_DB: database })
    expect(await migrate.exited).toBe(0)
    const target = join(dir, 'taken.db')
    writeFileSync(target, 'keep me')
    const backup = runBacktrack(['backup', target], { BACKTRACK_DB: database })
    expect(await backup.exited).toBe(1)
    expect(backup.stderr()).toBe(
      `backtrack: ${target} exists; backup never overwrites a file, name a new one\n`,
    )
    expect(readdirSync(dir).filter((name) => name.startsWith('taken'))).toEqual(['taken.db'])
    expect(statSync(target).size).toBe('keep me'.length)
  })

  it('says what to do for PostgreSQL, a missing database and a missing file name', async () => {
    const dir = tempDir()
    const postgres = runBacktrack(['backup', join(dir, 'copy.db')], { DATABASE_URL: TEST_PG_URL })
    expect(await postgres.exited).toBe(1)
    expect(postgres.stderr()).toMatch(/for PostgreSQL use pg_dump: see docs\/operations\.md/)

    const missing = runBacktrack(['backup', join(dir, 'copy.db')], {
      BACKTRACK_DB: join(dir, 'none.db'),
    })
    expect(await missing.exited).toBe(1)
    expect(missing.stderr()).toContain(`no SQLite database at ${join(dir, 'none.db')}`)
    // Nothing was created on the way: neither the database nor the copy.
    expect(existsSync(join(dir, 'none.db'))).toBe(false)
    expect(existsSync(join(dir, 'copy.db'))).toBe(false)

    const usage = runBacktrack(['backup'], { BACKTRACK_DB: join(dir, 'none.db') })
    expect(await usage.exited).toBe(1)
    expect(usage.stderr()).toBe('backtrack: usage: backtrack backup <file>; see backtrack --help\n')
  })
})
