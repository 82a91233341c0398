import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/database.ts'
import { enqueueDeliveries } from '../../src/delivery/index.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/engines.ts'
import { type Child, databaseEnv, runBacktrack } from '../helpers/processes.ts'
import { type Receiver, startReceiver } from './receiver.ts'
import { createWorkerCatalog } from './worker-catalog.ts'

describe('what a worker process logs', () => {
  let database: TestDatabase | undefined
  let receiver: Receiver | undefined
  let child: Child | undefined

  afterEach(async () => {
    await child?.stop('SIGKILL')
    await receiver?.close()
    await database?.drop()
  })

  it('logs a failed attempt at info with the endpoint and the reason, then its shutdown', async () => {
    database = await createTestDatabase('sqlite')
    receiver = await startReceiver((_request, response) => {
      response.statusCode = 500
      response.end('down for maintenance')
    })
    const { offerId, affiliateId } = await createWorkerCatalog(database, [`${receiver.url}/pb`])
    const handle = openDatabase(database.config)
    try {
      const endpoint = await handle.db
        .selectFrom('postbacks')
        .select('id')
        .executeTakeFirstOrThrow()
      await handle.db.transaction().execute((tx) =>
        enqueueDeliveries(tx, {
          changeId: 1,
          conversionId: 1,
          affiliateId,
          offerId,
          goal: 'default',
          status: 'approved',
          occurredAt: Date.now(),
          macros: { conversion_id: '1' },
        }),
      )
      child = runBacktrack(['worker'], {
        ...databaseEnv(database.config),
        BACKTRACK_ALLOW_PRIVATE_TARGETS: '1',
      })
      const [line] = await child.waitFor(/^\{.*"msg":"postback attempt failed".*$/m)
      expect(JSON.parse(line)).toMatchObject({
        level: 30,
        endpoint: String(endpoint.id),
        outcome: 'http_error',
        reason: 'HTTP 500',
      })

      child.process.kill('SIGTERM')
      const [stopped] = await child.waitFor(/^\{.*"msg":"delivery worker stopped".*$/m)
      const [stopping] = await child.waitFor(/^\{.*"msg":"delivery worker stopping".*$/m)
      const { worker } = JSON.parse(stopped)
      expect(worker).toMatch(/^w_/)
      expect(JSON.parse(stopping)).toMatchObject({ level: 30, worker, reason: 'SIGTERM' })
      expect(await child.exited).toBe(0)
      expect(child.output()).not.toContain('ExperimentalWarning')
    } finally {
      await handle.close()
    }
  })
})
