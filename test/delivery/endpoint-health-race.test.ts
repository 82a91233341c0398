import { afterEach, beforeEach, expect, it } from 'vitest'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { enqueueDeliveries } from '../../src/delivery/index.ts'
import { recordResults } from '../../src/delivery/record-results.ts'
import { createTestDatabase, describePostgres, type TestDatabase } from '../helpers/engines.ts'
import { createWorkerCatalog } from './worker-catalog.ts'

const FAILURES = 20

describePostgres('endpoint health under concurrent recorders', () => {
  let testDb: TestDatabase
  let database: Database
  beforeEach(async () => {
    testDb = await createTestDatabase('postgres')
    database = openDatabase(testDb.config)
  })
  afterEach(async () => {
    await database.close()
    await testDb.drop()
  })

  it('counts every failure when several workers record results for one endpoint at once', async () => {
    const catalog = await createWorkerCatalog(testDb, ['http://127.0.0.1:9/pb'])
    await database.db.transaction().execute(async (tx) => {
      for (let change = 1; change <= FAILURES; change++) {
        await enqueueDeliveries(tx, {
          changeId: change,
          conversionId: change,
          ...catalog,
          goal: 'default',
          status: 'approved',
          occurredAt: Date.now(),
          macros: {},
        })
      }
    })
    const { deliveries } = await database.claimDeliveries({
      workerId: 'w',
      now: Date.now(),
      leaseMs: 60_000,
      limit: FAILURES,
      skipEndpoints: [],
    })
    expect(deliveries).toHaveLength(FAILURES)
    // One result per recorder, all at once over the pool's ten connections: each reads the
    // endpoint's health and writes it back, as separate worker processes would.
    await Promise.all(
      deliveries.map((delivery, i) =>
        recordResults(
          database,
          'w',
          [
            {
              delivery,
              result: {
                at: Date.now() + i,
                duration_ms: 1,
                status_code: 500,
                error: 'HTTP 500',
                response_body: '',
                outcome: 'http_error',
                retry_after_ms: null,
                request_headers: {},
                response_headers: {},
              },
              next: { state: 'pending', run_at: Date.now() + 3_600_000, step: 1 },
            },
          ],
          1000,
        ),
      ),
    )
    const endpoint = await database.db
      .selectFrom('postbacks')
      .select(['consecutive_failures', 'circuit_open_until'])
      .executeTakeFirstOrThrow()
    expect(endpoint.consecutive_failures).toBe(FAILURES)
    expect(endpoint.circuit_open_until).not.toBeNull()
  })
})
