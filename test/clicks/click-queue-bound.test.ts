import { Registry } from 'prom-client'
import { afterEach, expect, it } from 'vitest'
import { registerClickMetrics } from '../../src/clicks/click-metrics.ts'
import { inProcessClickStore } from '../../src/clicks/click-store.ts'
import { ClickWriter } from '../../src/clicks/click-writer.ts'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { queuedClick } from '../helpers/clicks.ts'
import {
  createTestDatabase,
  describePostgres,
  TEST_PG_URL,
  type TestDatabase,
} from '../helpers/engines.ts'
import { startTcpProxy, type TcpProxy, throughProxy } from '../helpers/tcp-proxy.ts'
import { waitFor } from '../helpers/wait-for.ts'

describePostgres('the click queue while the database is away', () => {
  let testDb: TestDatabase | undefined
  let proxy: TcpProxy | undefined
  let database: Database | undefined
  afterEach(async () => {
    await database?.close()
    await proxy?.close()
    await testDb?.drop()
  })

  it('holds clicks up to its bound, then drops the oldest, counts and logs them, and stores the rest once back', async () => {
    testDb = await createTestDatabase('postgres')
    proxy = await startTcpProxy(Number(new URL(TEST_PG_URL).port || 5432))
    database = openDatabase(throughProxy(testDb.config, proxy))
    await migrateToLatest(database.db, database.engine)
    const lines: Array<{ message: string; object: Record<string, unknown> }> = []
    const log = {
      error: (object: object, message: string) =>
        lines.push({ message, object: object as Record<string, unknown> }),
    }
    const writer = new ClickWriter(inProcessClickStore(database.db), log, {
      maxQueue: 100,
      maxBatch: 40,
      maxDelayMs: 1,
    })
    const registry = new Registry()
    registerClickMetrics(registry, writer)

    proxy.cut()
    const clicks = Array.from({ length: 150 }, (_, n) => queuedClick({ sub1: `s${n}` }))
    for (const click of clicks.slice(0, 60)) writer.add(click)
    await waitFor(
      () => lines.some((line) => line.message === 'could not write clicks; will retry'),
      { timeoutMs: 10_000, message: 'a failed batch' },
    )
    for (const click of clicks.slice(60)) writer.add(click)
    expect(writer.dropped).toBe(50)
    expect(writer.backlog).toBe(100)
    expect(await registry.metrics()).toMatch(/^backtrack_clicks_dropped_total 50$/m)
    const dropping = lines.filter((line) => line.message.includes('dropping the oldest'))
    expect(dropping).toHaveLength(1)
    expect(dropping[0]!.object).toMatchObject({ dropped: 1, held: 100 })

    proxy.restore()
    await waitFor(() => writer.backlog === 0, {
      timeoutMs: 15_000,
      message: 'the held clicks to be written',
    })
    const stored = new Set(
      (await database.db.selectFrom('clicks').select('click_id').execute()).map(
        (row) => row.click_id,
      ),
    )
    // Which of the older ones were written depends on whether a retry was under way; the newest
    // always are, and the first one dropped never is.
    expect(stored.size).toBe(100)
    for (const click of clicks.slice(100)) expect(stored.has(click.clickId)).toBe(true)
    expect(stored.has(String(dropping[0]!.object.oldest))).toBe(false)
    await writer.stop()
  })
})
