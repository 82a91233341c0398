import { afterEach, beforeEach, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/database.ts'
import { enqueueDeliveries } from '../../src/delivery/index.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { type CatalogIds, createDeliveryCatalog, enqueueEvent } from './enqueue.ts'
import { type Receiver, startReceiver } from './receiver.ts'

describeEachEngine('delivery leases', (engine) => {
  let t: TestServer
  let receiver: Receiver
  let ids: CatalogIds

  beforeEach(async () => {
    t = await startTestServer(engine, {
      BACKTRACK_RETRY_SCHEDULE: '100ms',
      BACKTRACK_ALLOW_PRIVATE_TARGETS: '1',
    })
    receiver = await startReceiver()
    ids = await createDeliveryCatalog(t)
    await t.request('POST', '/api/v1/postbacks', {
      body: { affiliate_id: ids.affiliate, url: `${receiver.url}/pb?e={event_id}` },
    })
  })
  afterEach(async () => {
    await t?.close()
    await receiver?.close()
  })

  it("picks up a crashed worker's claim once its lease has ended", async () => {
    const leaseEnds = Date.now() + 1000
    // Queued and, in the same transaction, claimed by a worker that then died.
    await t.server.database.db.transaction().execute(async (tx) => {
      await enqueueDeliveries(tx, {
        changeId: 1,
        conversionId: 1,
        ...ids,
        goal: 'default',
        status: 'approved',
        occurredAt: Date.now(),
        macros: {},
      })
      await tx
        .updateTable('deliveries')
        .set({ locked_by: 'w_crashed', locked_until: leaseEnds })
        .execute()
    })
    await waitFor(() => receiver.received.length === 1, {
      timeoutMs: 10_000,
      message: 'the delivery',
    })
    expect(receiver.received[0]!.at).toBeGreaterThanOrEqual(leaseEnds)
  })

  it('lets an attempt in flight finish and records it when the server stops', async () => {
    receiver.respond = (_request, response) => {
      setTimeout(() => response.end('late but fine'), 700)
    }
    const { event } = await enqueueEvent(t, ids)
    await waitFor(() => receiver.received.length === 1, {
      timeoutMs: 10_000,
      message: 'the attempt to start',
    })
    await t.server.close()
    const database = openDatabase(t.config.database)
    try {
      const row = await database.db
        .selectFrom('deliveries')
        .select(['id', 'state', 'attempt_count', 'locked_by'])
        .where('conversion_id', '=', event.conversionId)
        .executeTakeFirstOrThrow()
      expect(row).toMatchObject({ state: 'delivered', attempt_count: 1, locked_by: null })
      const attempt = await database.db
        .selectFrom('delivery_attempts')
        .select(['status_code', 'response_body'])
        .where('delivery_id', '=', row.id)
        .executeTakeFirstOrThrow()
      expect(attempt).toEqual({ status_code: 200, response_body: 'late but fine' })
    } finally {
      await database.close()
    }
  })

  it('moves a claimed delivery out of the due range until its lease ends', async () => {
    let answer: (() => void) | undefined
    receiver.respond = (_request, response) => {
      answer = () => response.end('ok')
    }
    const { event } = await enqueueEvent(t, ids)
    await waitFor(() => receiver.received.length === 1, {
      timeoutMs: 10_000,
      message: 'the attempt to start',
    })
    const held = await t.server.database.db
      .selectFrom('deliveries')
      .select(['run_at', 'locked_until', 'state'])
      .where('conversion_id', '=', event.conversionId)
      .executeTakeFirstOrThrow()
    // Later claims walk the due-index from the oldest run_at; held rows are not in their way.
    expect(held.state).toBe('pending')
    expect(held.run_at).toBe(held.locked_until)
    expect(held.run_at).toBeGreaterThan(Date.now())
    answer?.()
    await waitFor(
      async () => {
        const res = await t.request('GET', `/api/v1/deliveries?conversion_id=${event.conversionId}`)
        return res.body.data[0]?.state === 'delivered'
      },
      { timeoutMs: 10_000, message: 'the delivery to be recorded' },
    )
  })
})
