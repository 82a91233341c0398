import { afterEach, beforeEach, expect, it } from 'vitest'
import { findClick } from '../../src/clicks/index.ts'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { databaseEnv, type ServeProcess, serveProcess } from '../helpers/processes.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { clickIdOf } from './stored-click.ts'

const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'

// Two `backtrack serve` processes on one database, as an operator would run them.
describeEachEngine('tracking links on several server processes', (engine) => {
  let database: TestDatabase
  let db: Database
  let first: ServeProcess
  let second: ServeProcess
  // Two processes start one after the other: each takes a few seconds on a busy machine.
  beforeEach(async () => {
    database = await createTestDatabase(engine)
    const env = databaseEnv(database.config)
    first = await serveProcess(env)
    second = await serveProcess(env)
    db = openDatabase(database.config)
  }, 60_000)
  afterEach(async () => {
    await first?.child.stop()
    await second?.child.stop()
    await db?.close()
    await database.drop()
  })

  const visit = (base: string, path: string) =>
    fetch(base + path, { redirect: 'manual', headers: { 'user-agent': UA } })

  /** Waits for another process's click writer to store a click, and returns the row. */
  const storedClick = (clickId: string) =>
    waitFor(() => findClick(db.db, clickId), { intervalMs: 20, message: `click ${clickId}` })

  /** Probes the tracking link until it answers `status`; fails after `timeoutMs`. */
  const waitForStatus = (base: string, path: string, status: number, timeoutMs = 10_000) =>
    waitFor(
      async () => {
        const res = await fetch(base + path, {
          redirect: 'manual',
          headers: { 'user-agent': 'probe' },
        })
        return res.status === status
      },
      { timeoutMs, intervalMs: 100, message: `${base}${path} to answer ${status}` },
    )

  it("sees another process's catalog changes within 5 seconds", async () => {
    const { offer, affiliate } = await createCatalog(first)
    const path = `/c/${offer.id}?aff_id=${affiliate.id}`
    await waitForStatus(second.url, path, 302, 5000)
    await first.request('PATCH', `/api/v1/offers/${offer.id}`, { body: { status: 'paused' } })
    expect((await visit(first.url, path)).status).toBe(404)
    await waitForStatus(second.url, path, 404, 5000)
  }, 60_000)

  it('does not count a visitor as unique in one process after a click in the other', async () => {
    const { offer, affiliate } = await createCatalog(first)
    const path = `/c/${offer.id}?aff_id=${affiliate.id}`
    const clicked = await visit(first.url, path)
    expect((await storedClick(clickIdOf(clicked.headers.get('location')))).isUnique).toBe(true)
    await waitForStatus(second.url, path, 302)
    const again = await visit(second.url, path)
    expect((await storedClick(clickIdOf(again.headers.get('location')))).isUnique).toBe(false)
  }, 60_000)
})
