import { execFileSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { isDatabaseUnavailable } from '../../src/db/database-unavailable.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { type Child, runBacktrack } from '../helpers/processes.ts'
import { TEST_ADMIN_KEY } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'

// biome-ignore lint/suspicious/noExplicitAny: the test reads the JSON it asserts on
type Json = Record<string, any>

const IN_CI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false'

/** Mounts a tmpfs of `size` on a fresh folder, or says why it cannot (not root, no mount). */
function mountTmpfs(size: string): { dir: string; unmount(): void } | string {
  const dir = mkdtempSync(join(tmpdir(), 'backtrack-full-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' })
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    return error instanceof Error ? error.message : String(error)
  }
  return {
    dir,
    unmount() {
      execFileSync('umount', ['-l', dir])
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

const probe = mountTmpfs('1m')
const cannotMount = typeof probe === 'string' ? probe : undefined
if (typeof probe !== 'string') probe.unmount()
if (cannotMount && !IN_CI) {
  console.warn(`cannot mount a tmpfs here (${cannotMount.split('\n')[0]}): disk-full tests skipped`)
}

/** Writes to `path` until the file system says it is full. */
function fillDisk(path: string): void {
  const fd = openSync(path, 'w')
  try {
    for (const size of [1 << 16, 1 << 12, 1 << 9]) {
      const chunk = Buffer.alloc(size, 1)
      try {
        for (;;) writeSync(fd, chunk)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
      }
    }
  } finally {
    closeSync(fd)
  }
}

describe.skipIf(cannotMount !== undefined && !IN_CI)('SQLite on a full disk', () => {
  let mounted: { dir: string; unmount(): void } | undefined
  let server: Child | undefined
  let db: Database | undefined
  afterEach(async () => {
    await server?.stop('SIGKILL')
    await db?.close()
    mounted?.unmount()
  })

  it('redirects, answers writes 503 with the database error logged, and recovers when space returns', async () => {
    const mount = mountTmpfs('8m')
    if (typeof mount === 'string') throw new Error(`cannot mount a tmpfs: ${mount}`)
    mounted = mount
    const path = join(mount.dir, 'bt.db')
    const child = runBacktrack(['serve'], {
      BACKTRACK_DB: path,
      PORT: '0',
      HOST: '127.0.0.1',
      BACKTRACK_ADMIN_KEY: TEST_ADMIN_KEY,
      BACKTRACK_LOG_LEVEL: 'warn',
    })
    server = child
    const url = (await child.waitFor(/listening on (http:\/\/\S+)/))[1]!
    const api = async (path: string, body?: unknown) => {
      const response = await fetch(`${url}/api/v1${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return { status: response.status, body: (await response.json()) as Json }
    }
    const advertiser = (await api('/advertisers', { name: 'Acme' })).body
    const offer = (
      await api('/offers', {
        advertiser_id: advertiser.id,
        name: 'Shoes',
        destination_url: 'https://shop.example/?cid={click_id}',
        revenue: 2,
        payout: 1,
      })
    ).body
    const affiliate = (await api('/affiliates', { name: 'Traffic' })).body
    const redirected: string[] = []
    const click = async (n: number) => {
      const response = await fetch(`${url}/c/${offer.id}?aff_id=${affiliate.id}&sub1=${n}`, {
        redirect: 'manual',
      })
      await response.arrayBuffer()
      expect(response.status).toBe(302)
      const clickId = new URL(response.headers.get('location')!).searchParams.get('cid')!
      redirected.push(clickId)
      return clickId
    }
    const postback = async (clickId: string) => {
      const query = new URLSearchParams({ click_id: clickId, token: advertiser.postback_token })
      const response = await fetch(`${url}/postback?${query}`)
      return { status: response.status, body: (await response.json()) as Json }
    }
    expect((await postback(await click(0))).status).toBe(200)

    fillDisk(join(mount.dir, 'filler'))
    // Every redirect still answers; writes fail once the database needs a page it cannot have
    // (a small one may still fit in the WAL now and then).
    let refused: { status: number; body: Json } | undefined
    for (let n = 1; refused === undefined && n < 2000; n++) {
      const answer = await postback(await click(n))
      if (answer.status !== 200) refused = answer
    }
    expect(refused).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } })
    const health = await fetch(`${url}/healthz`)
    expect(health.status).toBe(503)
    await health.arrayBuffer()
    for (let n = 0; n < 200; n++) await click(10_000 + n)
    await child.waitFor(/database or disk is full/)
    expect(child.output()).not.toMatch(/cannot rollback/)

    rmSync(join(mount.dir, 'filler'))
    await waitFor(
      async () => {
        const response = await fetch(`${url}/healthz`)
        await response.arrayBuffer()
        return response.status === 200
      },
      { timeoutMs: 15_000, message: '/healthz to answer 200 once space is back' },
    )
    const again = await postback(redirected.at(-1)!)
    expect(again.status).toBe(200)
    expect((await api('/advertisers', { name: 'Back' })).status).toBe(201)
    expect(child.process.exitCode).toBeNull()

    db = openDatabase({ engine: 'sqlite', path })
    const handle = db.db
    await waitFor(
      async () => {
        const rows = await handle.selectFrom('clicks').select('click_id').execute()
        const stored = new Set(rows.map((row) => row.click_id))
        return redirected.every((id) => stored.has(id)) && rows.length === redirected.length
      },
      { timeoutMs: 15_000, message: 'every redirected click to be stored once' },
    )
    await child.stop()
    expect(await child.exited).toBe(0)
  }, 120_000)
})

describe('SQLite out of pages', () => {
  let dir: string | undefined
  let db: Database | undefined
  afterEach(async () => {
    await db?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it("fails a transaction with SQLite's own error, not a failed rollback, and marks writes failing", async () => {
    dir = mkdtempSync(join(tmpdir(), 'backtrack-pages-'))
    db = openDatabase({ engine: 'sqlite', path: join(dir, 'bt.db') })
    await migrateToLatest(db.db, db.engine)
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db.db)
    // The file may not grow past two more pages: SQLITE_FULL, as a full disk gives.
    await sql.raw(`pragma max_page_count = ${rows[0]!.page_count + 2}`).execute(db.db)
    const big = 'x'.repeat(2000)
    const error = await db.db
      .transaction()
      .execute(async (tx) => {
        for (let i = 0; i < 20; i++) {
          await tx
            .insertInto('settings')
            .values({ key: `k${i}`, value: big })
            .execute()
        }
      })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      )
    expect(error).toMatchObject({ message: 'database or disk is full', errcode: 13 })
    expect(isDatabaseUnavailable(error)).toBe(true)
    expect(db.health.lastFailure).toBe(error)
    expect(db.health.recovered).toBe(false)
    const stored = await db.db
      .selectFrom('settings')
      .select('key')
      .where('key', 'like', 'k%')
      .execute()
    expect(stored).toEqual([])
  })
})
