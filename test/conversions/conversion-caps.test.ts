import { afterEach, beforeEach, expect, it } from 'vitest'
import type { Cap } from '../../src/catalog/index.ts'
import type { OfferContext } from '../../src/conversions/attribution-context.ts'
import { ConversionEffects } from '../../src/conversions/conversion-effects.ts'
import type { FraudRules } from '../../src/conversions/fraud-rules.ts'
import { type PostbackFacts, recordConversions } from '../../src/conversions/record-postback.ts'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/engines.ts'

// Domain-level: conversions recorded at times of our choosing, as the postback path records them
// (one transaction per batch), so windows can be crossed without waiting for a clock.
describeEachEngine('conversion caps', (engine) => {
  let testDb: TestDatabase
  let database: Database
  beforeEach(async () => {
    testDb = await createTestDatabase(engine)
    database = openDatabase(testDb.config)
    await migrateToLatest(database.db, engine)
  })
  afterEach(async () => {
    await database.close()
    await testDb.drop()
  })

  let clicks = 0
  function facts(
    caps: Cap[],
    at: number,
    options: { affiliateId?: number; payout?: number; timeZone?: string; rules?: FraudRules } = {},
  ): PostbackFacts {
    const offer: OfferContext = {
      offerId: 1,
      advertiserId: 1,
      currency: 'USD',
      conversionWindowDays: 30,
      postbackToken: 't',
      allowlist: [],
      fraud: null,
      caps,
      timeZone: options.timeZone ?? 'Asia/Tokyo',
    }
    return {
      attribution: {
        clickId: `click-${++clicks}`,
        offer,
        affiliateId: options.affiliateId ?? 1,
        clickedAt: at - 60_000,
        click: undefined,
      },
      goal: {
        key: 'default',
        revenue: 500,
        revenueType: 'fixed',
        payout: options.payout ?? 300,
        payoutType: 'fixed',
        allowMultiple: false,
      },
      request: {
        goal: 'default',
        txid: null,
        status: 'approved',
        amount: null,
        reportedRevenue: null,
        adv: { adv1: null, adv2: null, adv3: null, adv4: null, adv5: null },
        ip: null,
      },
      rules: options.rules ?? {},
      now: at,
    }
  }

  const record = (batch: PostbackFacts[]) =>
    database.db.transaction().execute((tx) => recordConversions(tx, new ConversionEffects(), batch))
  const statuses = async () =>
    (
      await database.db
        .selectFrom('conversions')
        .select(['status', 'reason', 'payout'])
        .orderBy('id')
        .execute()
    ).map((row) => `${row.status}:${row.reason ?? ''}:${row.payout}`)

  // 2026-12-01 14:59 UTC is 23:59 in Tokyo; 15:00 UTC is midnight there, a new day.
  const beforeMidnight = Date.UTC(2026, 11, 1, 14, 59)
  const afterMidnight = Date.UTC(2026, 11, 1, 15, 0)

  it('a daily conversions cap rejects past its limit with cap_reached and no payout, and a new day in the offer time zone starts again', async () => {
    const caps: Cap[] = [{ metric: 'conversions', period: 'day', limit: 2, affiliateId: null }]
    await record([facts(caps, beforeMidnight), facts(caps, beforeMidnight)])
    await record([facts(caps, beforeMidnight + 1000)])
    await record([
      facts(caps, afterMidnight),
      facts(caps, afterMidnight),
      facts(caps, afterMidnight),
    ])
    expect(await statuses()).toEqual([
      'approved::300',
      'approved::300',
      'rejected:cap_reached:0',
      'approved::300',
      'approved::300',
      'rejected:cap_reached:0',
    ])
  })

  it('a UTC day boundary is not a day boundary in Tokyo', async () => {
    const caps: Cap[] = [{ metric: 'conversions', period: 'day', limit: 1, affiliateId: null }]
    // 23:59 and 00:01 UTC are both on 2 December in Tokyo (08:59 and 09:01).
    await record([facts(caps, Date.UTC(2026, 11, 1, 23, 59))])
    await record([facts(caps, Date.UTC(2026, 11, 2, 0, 1))])
    expect(await statuses()).toEqual(['approved::300', 'rejected:cap_reached:0'])
  })

  it('a payout cap counts money: a conversion that would pass it is rejected, a smaller one still fits', async () => {
    const caps: Cap[] = [{ metric: 'payout', period: 'week', limit: 1000, affiliateId: null }]
    await record([facts(caps, beforeMidnight, { payout: 600 })])
    await record([facts(caps, beforeMidnight, { payout: 600 })])
    await record([facts(caps, beforeMidnight, { payout: 400 })])
    expect(await statuses()).toEqual(['approved::600', 'rejected:cap_reached:0', 'approved::400'])
  })

  it('weekly caps start on Monday and monthly on the 1st, in the offer time zone', async () => {
    const week: Cap[] = [{ metric: 'conversions', period: 'week', limit: 1, affiliateId: null }]
    // Sunday 6 December 2026, 23:30 in New York; Monday 7 December, 00:30 there.
    const zone = { timeZone: 'America/New_York' }
    await record([facts(week, Date.UTC(2026, 11, 7, 4, 30), zone)])
    await record([facts(week, Date.UTC(2026, 11, 7, 4, 40), zone)])
    await record([facts(week, Date.UTC(2026, 11, 7, 5, 30), zone)])
    const month: Cap[] = [{ metric: 'conversions', period: 'month', limit: 1, affiliateId: 2 }]
    // 31 December 23:30 and 1 January 00:30 in New York, for affiliate 2 only.
    await record([facts(month, Date.UTC(2027, 0, 1, 4, 30), { ...zone, affiliateId: 2 })])
    await record([facts(month, Date.UTC(2027, 0, 1, 5, 30), { ...zone, affiliateId: 2 })])
    await record([facts(month, Date.UTC(2027, 0, 1, 5, 31), { ...zone, affiliateId: 2 })])
    await record([facts(month, Date.UTC(2027, 0, 1, 5, 32), { ...zone, affiliateId: 3 })])
    expect(await statuses()).toEqual([
      'approved::300',
      'rejected:cap_reached:0',
      'approved::300',
      'approved::300',
      'approved::300',
      'rejected:cap_reached:0',
      'approved::300',
    ])
  })

  it('a total cap never resets, and a click cap does not limit conversions', async () => {
    const caps: Cap[] = [
      { metric: 'clicks', period: 'day', limit: 0, affiliateId: null },
      { metric: 'conversions', period: 'total', limit: 1, affiliateId: null },
    ]
    await record([facts(caps, Date.UTC(2026, 0, 1))])
    await record([facts(caps, Date.UTC(2027, 5, 1))])
    expect(await statuses()).toEqual(['approved::300', 'rejected:cap_reached:0'])
  })

  it('a conversion a fraud rule rejects takes no room under a cap', async () => {
    const caps: Cap[] = [{ metric: 'conversions', period: 'day', limit: 1, affiliateId: null }]
    const rules: FraudRules = { min_ctit_seconds: { value: 120, action: 'reject' } }
    await record([facts(caps, beforeMidnight, { rules })])
    await record([facts(caps, beforeMidnight)])
    expect(await statuses()).toEqual(['rejected:min_ctit_seconds:300', 'approved::300'])
  })

  it('50 different clicks converting at once against a cap of 10 approve exactly 10', async () => {
    const caps: Cap[] = [{ metric: 'conversions', period: 'day', limit: 10, affiliateId: null }]
    // Ten concurrent transactions of five, as group commits of one process or several make them.
    await Promise.all(
      Array.from({ length: 10 }, () =>
        record(Array.from({ length: 5 }, () => facts(caps, beforeMidnight))).catch(() =>
          // A transaction that lost a deadlock is retried, as the group commit does.
          record(Array.from({ length: 5 }, () => facts(caps, beforeMidnight))),
        ),
      ),
    )
    const all = await statuses()
    expect(all).toHaveLength(50)
    expect(all.filter((s) => s.startsWith('approved'))).toHaveLength(10)
    expect(all.filter((s) => s === 'rejected:cap_reached:0')).toHaveLength(40)
  })
})
