import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decodeClick, encodeClick } from '../../src/clicks/click-line.ts'
import {
  type ClickStore,
  inProcessClickStore,
  threadedClickStore,
} from '../../src/clicks/click-store.ts'
import { ClickWriter, type QueuedClick } from '../../src/clicks/click-writer.ts'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { queuedClick } from '../helpers/clicks.ts'
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/engines.ts'

const errors: unknown[] = []
const log = { error: (object: object) => errors.push(object) }

function click(n: number): QueuedClick {
  return queuedClick({ sub1: `s${n}`, ip: `10.0.${n >> 8}.${n & 255}` })
}

describeEachEngine('click writer', (engine) => {
  let testDb: TestDatabase
  let database: Database
  beforeEach(async () => {
    errors.length = 0
    testDb = await createTestDatabase(engine)
    database = openDatabase(testDb.config)
    await migrateToLatest(database.db, database.engine)
  })
  afterEach(async () => {
    await database.close()
    await testDb.drop()
  })

  async function storedCount(): Promise<number> {
    const row = await database.db
      .selectFrom('clicks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  const stores: Array<[string, () => ClickStore]> = [
    ['on the event loop', () => inProcessClickStore(database.db)],
    ['in a store thread', () => threadedClickStore(testDb.config)],
  ]
  describe.each(stores)('committing %s', (_, makeStore) => {
    it('commits a lone click after the batch delay and finds it while it waits', async () => {
      const writer = new ClickWriter(makeStore(), log, { maxDelayMs: 200 })
      const first = click(1)
      expect(writer.add(first)).toBeUndefined()
      expect(writer.pending(first.clickId)?.sub1).toBe('s1')
      expect(await storedCount()).toBe(0)
      // Nothing else is added: the delay alone commits it (a store thread starts on first use).
      await expect.poll(storedCount, { timeout: 5000 }).toBe(1)
      await expect.poll(() => writer.pending(first.clickId)).toBeUndefined()
      await writer.stop()
      expect(errors).toEqual([])
    })

    it('slows redirects down to the commits when far behind, and stop() writes the rest', async () => {
      const writer = new ClickWriter(makeStore(), log, {
        maxDelayMs: 5,
        maxBatch: 100,
        slowDownAt: 300,
      })
      const waits: Promise<void>[] = []
      for (let n = 0; n < 1000; n++) {
        const wait = writer.add(click(n))
        if (wait) waits.push(wait)
      }
      expect(waits.length).toBeGreaterThan(0)
      expect(writer.backlog).toBe(1000)
      await waits[0]
      expect(await storedCount()).toBeGreaterThanOrEqual(100)
      await writer.stop()
      expect(await storedCount()).toBe(1000)
      expect(writer.backlog).toBe(0)
      expect(errors).toEqual([])
    })

    it('marks a visitor seen in the stored clicks of the last 24 h as not unique', async () => {
      const writer = new ClickWriter(makeStore(), log, { maxDelayMs: 1 })
      const earlier = { ...click(7), clickedAt: Date.now() - 3_600_000 }
      writer.add(earlier)
      await writer.stop()
      const again = click(7)
      const writer2 = new ClickWriter(makeStore(), log, { maxDelayMs: 1 })
      writer2.add(again)
      await writer2.stop()
      const row = await database.db
        .selectFrom('clicks')
        .select('is_unique')
        .where('click_id', '=', again.clickId)
        .executeTakeFirstOrThrow()
      expect(row.is_unique).toBe(0)
    })
  })
})

describe('queued click lines', () => {
  it('give back the click they were made from, whatever its text holds', () => {
    const hostile = {
      ...click(1),
      sub1: 'x\r\n"],["forged',
      sub2: '😀 \u2028 \\',
      referrer: 'https://ref.example/?a=1&b="2"',
      isBot: true,
    }
    expect(decodeClick(encodeClick(hostile))).toEqual(hostile)
    const plain = click(2)
    expect(decodeClick(encodeClick(plain))).toEqual(plain)
  })

  it('are found by click id while they wait, and only by a whole click id', async () => {
    const writer = new ClickWriter(discardingStore(), log, { maxDelayMs: 60_000 })
    const queued = click(3)
    writer.add(queued)
    expect(writer.pending(queued.clickId)).toEqual(queued)
    expect(writer.pending(queued.clickId.slice(0, -1))).toBeUndefined()
    expect(writer.pending(`${queued.clickId}",1,1`)).toBeUndefined()
    await writer.stop()
    expect(writer.pending(queued.clickId)).toBeUndefined()
  })
})

// Takes batches and keeps nothing: the test looks at the writer's queue only.
function discardingStore(): ClickStore {
  return { store: async () => {}, close: async () => {} }
}

describe('threaded click store', () => {
  it('fails each batch with the reason when the database cannot be opened', async () => {
    // A file where the database's folder should be.
    const notAFolder = join(mkdtempSync(join(tmpdir(), 'backtrack-store-')), 'file')
    writeFileSync(notAFolder, '')
    const store = threadedClickStore({ engine: 'sqlite', path: join(notAFolder, 'clicks.db') })
    await expect(store.store([encodeClick(click(1))])).rejects.toThrow(/EEXIST|ENOTDIR/)
    await expect(store.store([encodeClick(click(2))])).rejects.toThrow(/EEXIST|ENOTDIR/)
    await store.close()
    rmSync(dirname(notAFolder), { recursive: true })
  })
})
