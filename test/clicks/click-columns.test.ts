import { afterEach, beforeEach, expect, it } from 'vitest'
import { clickValues } from '../../src/clicks/click-columns.ts'
import { decodeClick, encodeClick } from '../../src/clicks/click-line.ts'
import { inProcessClickStore } from '../../src/clicks/click-store.ts'
import type { QueuedClick } from '../../src/clicks/click-writer.ts'
import { insertClickRows } from '../../src/clicks/insert-click-rows.ts'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { queuedClick } from '../helpers/clicks.ts'
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/engines.ts'

// Every field holds a value no other field holds, so a value landing in another field's column
// (an encoding order that disagrees with the insert's) shows up as a wrong column below.
function distinctClick(clickedAt: number): QueuedClick {
  return queuedClick({
    offerId: 7,
    affiliateId: 11,
    sub1: 'sub-one',
    sub2: 'sub-two',
    sub3: 'sub-three',
    sub4: 'sub-four',
    sub5: 'sub-five',
    source: 'the-source',
    ip: '203.0.113.9',
    userAgent: 'the-agent',
    referrer: 'https://referrer.example/',
    country: 'NZ',
    deviceType: 'tablet',
    os: 'the-os',
    browser: 'the-browser',
    isBot: true,
    isUnique: false,
    clickedAt,
    blockedReason: 'the-reason',
    currency: 'EUR',
  })
}

// The expected row, written by column name: independent of any column order in src/.
function expectedRow(click: QueuedClick) {
  return {
    click_id: click.clickId,
    offer_id: 7,
    affiliate_id: 11,
    sub1: 'sub-one',
    sub2: 'sub-two',
    sub3: 'sub-three',
    sub4: 'sub-four',
    sub5: 'sub-five',
    source: 'the-source',
    ip: '203.0.113.9',
    user_agent: 'the-agent',
    referrer: 'https://referrer.example/',
    country: 'NZ',
    device_type: 'tablet',
    os: 'the-os',
    browser: 'the-browser',
    is_bot: 1,
    is_unique: 0,
    created_at: click.clickedAt,
    blocked_reason: 'the-reason',
  }
}

describeEachEngine('a queued click’s columns', (engine) => {
  let testDb: TestDatabase
  let database: Database
  beforeEach(async () => {
    testDb = await createTestDatabase(engine)
    database = openDatabase(testDb.config)
    await migrateToLatest(database.db, database.engine)
  })
  afterEach(async () => {
    await database.close()
    await testDb.drop()
  })

  const stored = (clickId: string) =>
    database.db.selectFrom('clicks').selectAll().where('click_id', '=', clickId).execute()

  it('holds a distinct value in every field, so any two fields swapped would show', () => {
    const values = clickValues(distinctClick(1_700_000_000_000))
    expect(new Set(values.map((value) => JSON.stringify(value))).size).toBe(values.length)
  })

  it('reads a line queued before blocked_reason existed as a click that went through', () => {
    const click = distinctClick(1_700_000_000_000)
    const values = JSON.parse(encodeClick(click)) as unknown[]
    // The old line: every column but the last (blocked_reason), then the currency.
    const old = JSON.stringify([...values.slice(0, -2), values.at(-1)])
    expect(decodeClick(old)).toEqual({ ...click, blockedReason: null })
  })

  it('every column survives encode → store in a batch → read back', async () => {
    const click = distinctClick(Date.now())
    const line = encodeClick(click)
    expect(decodeClick(line)).toEqual(click)
    await inProcessClickStore(database.db).store([line])
    // Every column of the table is there, each with its own field's value.
    expect(await stored(click.clickId)).toEqual([expectedRow(click)])
  })

  it('every column survives encode → insert outside a transaction → read back', async () => {
    const click = distinctClick(Date.now() - 1000)
    expect(await insertClickRows(database.db, [decodeClick(encodeClick(click))])).toEqual([
      click.clickId,
    ])
    expect(await stored(click.clickId)).toEqual([expectedRow(click)])
  })
})
