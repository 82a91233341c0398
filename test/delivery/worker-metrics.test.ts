import { afterEach, expect, it } from 'vitest'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { enqueueDeliveries } from '../../src/delivery/index.ts'
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/engines.ts'
import { type Child, databaseEnv, runBacktrack } from '../helpers/processes.ts'
import { TEST_ADMIN_KEY } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { type Receiver, startReceiver } from './receiver.ts'
import { createWorkerCatalog } from './worker-catalog.ts'

describeEachEngine('a standalone worker’s metrics', (engine) => {
  let database: TestDatabase | undefined
  let db: Database | undefined
  let receiver: Receiver | undefined
  let child: Child | undefined

  afterEach(async () => {
    await child?.stop('SIGKILL')
    await db?.close()
    await receiver?.close()
    await database?.drop()
  })

  it('serves its attempt counters and queue depth on /metrics, and /healthz', async () => {
    database = await createTestDatabase(engine)
    receiver = await startReceiver()
    const { offerId, affiliateId } = await createWorkerCatalog(database, [
      `${receiver.url}/pb?e={event_id}`,
    ])

    child = runBacktrack(['worker'], {
      ...databaseEnv(database.config),
      BACKTRACK_ADMIN_KEY: TEST_ADMIN_KEY,
      BACKTRACK_ALLOW_PRIVATE_TARGETS: '1',
      BACKTRACK_WORKER_METRICS_PORT: '0',
      HOST: '127.0.0.1',
    })
    const [, base] = await child.waitFor(/metrics on (http:\/\/\S+)\/metrics/)
    const scrape = (key: string | null = TEST_ADMIN_KEY) =>
      fetch(`${base}/metrics`, { headers: key ? { authorization: `Bearer ${key}` } : {} })

    db = openDatabase(database.config)
    await db.db.transaction().execute((tx) =>
      enqueueDeliveries(tx, {
        changeId: 1,
        conversionId: 1,
        affiliateId,
        offerId,
        goal: 'default',
        status: 'approved',
        occurredAt: Date.now(),
        macros: {},
      }),
    )
    await waitFor(() => receiver!.received.length === 1, {
      timeoutMs: 10_000,
      message: 'the delivery',
    })
    const text = await waitFor(async () => {
      const body = await (await scrape()).text()
      // The attempt is counted when sent and its result committed just after: wait for both.
      return (
        /backtrack_delivery_attempts_total\{outcome="delivered"\} 1\b/.test(body) &&
        /backtrack_delivery_queue_depth 0\b/.test(body) &&
        body
      )
    })
    expect(text).toMatch(/backtrack_delivery_latency_seconds_count 1\b/)

    const anonymous = await scrape(null)
    expect(anonymous.status).toBe(401)
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe(
      'unauthorized',
    )
    expect((await scrape('not-the-admin-key-at-all')).status).toBe(401)
    const health = await fetch(`${base}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })
    expect((await fetch(`${base}/api/v1/offers`)).status).toBe(404)

    await child.stop()
    expect(await child.exited).toBe(0)
  }, 60_000)
})

it('starts no metrics listener unless BACKTRACK_WORKER_METRICS_PORT is set', async () => {
  const database = await createTestDatabase('sqlite')
  const worker = runBacktrack(['worker'], databaseEnv(database.config))
  try {
    await worker.waitFor(/delivery worker \S+ started/)
    expect(worker.output()).not.toMatch(/metrics on/)
  } finally {
    await worker.stop()
    await database.drop()
  }
})
