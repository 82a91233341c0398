import { afterEach, expect, it } from 'vitest'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { enqueueDeliveries } from '../../src/delivery/index.ts'
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/engines.ts'
import { type Child, databaseEnv, runBacktrack } from '../helpers/processes.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { type Receiver, startReceiver } from './receiver.ts'
import { createWorkerCatalog } from './worker-catalog.ts'

const ENDPOINTS = 10

describeEachEngine('delivery worker processes', (engine) => {
  // The contract's figure on PostgreSQL, where workers scale out; fewer on SQLite (one writer).
  const EVENTS = engine === 'postgres' ? 1000 : 200
  let database: TestDatabase | undefined
  let db: Database | undefined
  let receiver: Receiver | undefined
  const children: Child[] = []

  afterEach(async () => {
    for (const child of children.splice(0)) await child.stop('SIGKILL')
    await db?.close()
    await receiver?.close()
    await database?.drop()
  })

  it('two worker processes drain every delivery and send none twice', async () => {
    database = await createTestDatabase(engine)
    const started = await startReceiver()
    receiver = started
    const { offerId, affiliateId } = await createWorkerCatalog(
      database,
      Array.from({ length: ENDPOINTS }, (_, i) => `${started.url}/pb/${i}`),
    )

    const env = {
      ...databaseEnv(database.config),
      BACKTRACK_ALLOW_PRIVATE_TARGETS: '1',
      BACKTRACK_LOG_LEVEL: 'warn',
    }
    for (let i = 0; i < 2; i++) children.push(runBacktrack(['worker'], env))
    for (const child of children) await child.waitFor(/delivery worker \S+ started/)

    db = openDatabase(database.config)
    // Queued while the workers run, 50 changes per transaction, as a busy server would.
    for (let first = 1; first <= EVENTS; first += 50) {
      await db.db.transaction().execute(async (tx) => {
        for (let change = first; change < first + 50; change++) {
          await enqueueDeliveries(tx, {
            changeId: change,
            conversionId: change,
            affiliateId,
            offerId,
            goal: 'default',
            status: 'approved',
            occurredAt: Date.now(),
            macros: { conversion_id: String(change) },
          })
        }
      })
    }
    const handle = db.db
    await waitFor(
      async () => {
        const row = await handle
          .selectFrom('deliveries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('state', '=', 'delivered')
          .executeTakeFirstOrThrow()
        return Number(row.n) === EVENTS * ENDPOINTS
      },
      { timeoutMs: 90_000, message: 'every delivery to be delivered' },
    )
    for (const child of children) await child.stop()
    for (const child of children) expect(await child.exited).toBe(0)

    const ids = receiver.received.map((r) => r.headers['webhook-id'])
    expect(ids).toHaveLength(EVENTS * ENDPOINTS)
    expect(new Set(ids).size).toBe(EVENTS * ENDPOINTS)
    const attempts = await handle
      .selectFrom('delivery_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(attempts.n)).toBe(EVENTS * ENDPOINTS)
  }, 150_000)
})

it('documents `backtrack worker` in --help', async () => {
  const help = runBacktrack(['--help'], {})
  expect(await help.exited).toBe(0)
  expect(help.output()).toMatch(/npx backtrack worker .*outbound postback delivery only/)
})
