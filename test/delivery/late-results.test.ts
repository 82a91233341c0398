import { afterEach, beforeEach, expect, it } from 'vitest'
import { type Database, openDatabase } from '../../src/db/database.ts'
import type { ClaimedDelivery } from '../../src/db/delivery-queries.ts'
import { enqueueDeliveries } from '../../src/delivery/index.ts'
import { recordResults } from '../../src/delivery/record-results.ts'
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/engines.ts'
import { createWorkerCatalog } from './worker-catalog.ts'

describeEachEngine('a result recorded after its lease lapsed', (engine) => {
  let testDb: TestDatabase
  let database: Database
  beforeEach(async () => {
    testDb = await createTestDatabase(engine)
    database = openDatabase(testDb.config)
  })
  afterEach(async () => {
    await database.close()
    await testDb.drop()
  })

  const delivered = (delivery: ClaimedDelivery) => ({
    delivery,
    result: {
      at: Date.now(),
      duration_ms: 1,
      status_code: 200,
      error: null,
      response_body: '',
      outcome: 'delivered' as const,
      retry_after_ms: null,
      request_headers: {},
      response_headers: {},
    },
    next: { state: 'delivered' as const, run_at: null, step: 0 },
  })

  it("keeps its attempt but leaves another worker's claim alone", async () => {
    const catalog = await createWorkerCatalog(testDb, ['http://127.0.0.1:9/pb'])
    await database.db.transaction().execute((tx) =>
      enqueueDeliveries(tx, {
        changeId: 1,
        conversionId: 1,
        goal: 'default',
        status: 'approved',
        occurredAt: Date.now(),
        macros: {},
        ...catalog,
      }),
    )
    const claim = (workerId: string, now: number) =>
      database.claimDeliveries({ workerId, now, leaseMs: 1000, limit: 10, skipEndpoints: [] })
    const now = Date.now()
    const [byA] = (await claim('a', now)).deliveries
    // A's lease lapses (an outage longer than the lease); B claims the delivery.
    const [byB] = (await claim('b', now + 5000)).deliveries
    expect(byB?.id).toBe(byA!.id)

    await recordResults(database, 'a', [delivered(byA!)], 1000)
    const row = () =>
      database.db
        .selectFrom('deliveries')
        .select(['state', 'locked_by'])
        .where('id', '=', byA!.id)
        .executeTakeFirstOrThrow()
    expect(await row()).toEqual({ state: 'pending', locked_by: 'b' })

    await recordResults(database, 'b', [delivered(byB!)], 1000)
    expect(await row()).toEqual({ state: 'delivered', locked_by: null })
    const attempts = await database.db
      .selectFrom('delivery_attempts')
      .select('id')
      .where('delivery_id', '=', byA!.id)
      .execute()
    expect(attempts).toHaveLength(2)
  })
})
