import { afterEach, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { enqueueDeliveries } from '../../src/delivery/index.ts'
import { startServer } from '../../src/main.ts'
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/engines.ts'
import { type Child, databaseEnv, runBacktrack } from '../helpers/processes.ts'
import { TEST_ADMIN_KEY } from '../helpers/test-server.ts'
import { eventually, type Receiver, startReceiver } from './receiver.ts'

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
    receiver = await startReceiver()
    const config = {
      ...loadConfig({ BACKTRACK_ADMIN_KEY: TEST_ADMIN_KEY, BACKTRACK_LOG_LEVEL: 'silent' }),
      host: '127.0.0.1',
      port: 0,
      database: database.config,
    }
    // The catalog is made through the API of a server that is then stopped, so only the two
    // worker processes deliver.
    const server = await startServer(config, { logger: false, print: () => {} })
    const api = async (path: string, body: unknown) => {
      const response = await fetch(`${server.url}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      expect(response.status).toBe(201)
      return (await response.json()) as { id: string }
    }
    const advertiser = await api('/advertisers', { name: 'A' })
    const offer = await api('/offers', {
      advertiser_id: advertiser.id,
      name: 'O',
      destination_url: 'https://shop.example/',
      revenue: 1,
      payout: 1,
    })
    const affiliate = await api('/affiliates', { name: 'F' })
    for (let i = 0; i < ENDPOINTS; i++) {
      await api('/postbacks', { affiliate_id: affiliate.id, url: `${receiver.url}/pb/${i}` })
    }
    await server.close()

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
            affiliateId: Number(affiliate.id),
            offerId: Number(offer.id),
            goal: 'default',
            status: 'approved',
            occurredAt: Date.now(),
            macros: { conversion_id: String(change) },
          })
        }
      })
    }
    const handle = db.db
    await eventually(
      async () => {
        const row = await handle
          .selectFrom('deliveries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('state', '=', 'delivered')
          .executeTakeFirstOrThrow()
        return Number(row.n) === EVENTS * ENDPOINTS
      },
      90_000,
      'every delivery to be delivered',
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
