import { afterEach, beforeEach, expect, it } from 'vitest'
import { type RunningServer, startServer } from '../../src/main.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { clickIdOf, storedClick } from './stored-click.ts'

const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'

// Two Backtrack servers on one database, as when several processes share one PostgreSQL.
describeEachEngine('tracking links on several servers', (engine) => {
  let t: TestServer
  let second: RunningServer
  beforeEach(async () => {
    t = await startTestServer(engine)
    second = await startServer(t.config, { logger: false, print: () => {} })
  })
  afterEach(async () => {
    await second.close()
    await t.close()
  })

  const visit = (base: string, path: string) =>
    fetch(base + path, { redirect: 'manual', headers: { 'user-agent': UA } })

  it("sees another server's catalog changes within 5 seconds", async () => {
    const { offer, affiliate } = await createCatalog(t)
    const path = `/c/${offer.id}?aff_id=${affiliate.id}`
    expect(await waitForStatus(second.url, path, 302)).toBeLessThan(5000)
    await t.request('PATCH', `/api/v1/offers/${offer.id}`, { body: { status: 'paused' } })
    expect((await visit(t.url, path)).status).toBe(404)
    expect(await waitForStatus(second.url, path, 404)).toBeLessThan(5000)
  })

  it('does not count a visitor as unique on one server after a click on the other', async () => {
    const { offer, affiliate } = await createCatalog(t)
    const path = `/c/${offer.id}?aff_id=${affiliate.id}`
    const first = await visit(t.url, path)
    expect((await storedClick(t, clickIdOf(first.headers.get('location')))).isUnique).toBe(true)
    await waitForStatus(second.url, path, 302)
    const again = await visit(second.url, path)
    expect((await storedClick(t, clickIdOf(again.headers.get('location')))).isUnique).toBe(false)
  })

  async function waitForStatus(base: string, path: string, status: number): Promise<number> {
    const start = Date.now()
    for (;;) {
      const res = await fetch(base + path, {
        redirect: 'manual',
        headers: { 'user-agent': 'probe' },
      })
      if (res.status === status) return Date.now() - start
      if (Date.now() - start > 10_000) throw new Error(`${path} never answered ${status}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
})
