import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { click, postbackGet, setUp } from './postback-helpers.ts'

const CONVERSIONS = 2000

/** A small seeded PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let r = Math.imul(a ^ (a >>> 15), 1 | a)
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296
  }
}

/** Decimal text → integer scaled by 10^digits, without floats. */
function scaled(text: string, digits: number): bigint {
  const [whole = '0', fraction = ''] = text.split('.')
  return BigInt(whole + fraction.padEnd(digits, '0'))
}

/** amount × percent, half up, in minor units: the rule the test checks against. */
function percentOf(amountMinor: bigint, percentScaled: bigint): bigint {
  const divisor = 100n * 10_000n
  return (amountMinor * percentScaled * 2n + divisor) / (divisor * 2n)
}

function decimalText(units: bigint, digits: number): string {
  const text = units.toString().padStart(digits + 1, '0')
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`
}

describeEachEngine('inbound postback: money stays exact', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine)
  })
  afterEach(() => t.close())

  it(`sums revenue and payout of ${CONVERSIONS} random amounts and percentages exactly`, async () => {
    const next = random(20261125)
    const goals = Array.from({ length: 8 }, (_, i) => {
      const revenue = decimalText(BigInt(Math.floor(next() * 1_000_000)), 4) // 0–100 %, 4 decimals
      const payout = decimalText(BigInt(Math.floor(next() * 1_000_000)), 4)
      return {
        key: `g${i}`,
        revenue,
        payout,
        revenue_type: 'percent',
        payout_type: 'percent',
        allow_multiple: true,
      }
    })
    const { offer, affiliate, token } = await setUp(t, { goals })
    const clickId = await click(t, offer.id, affiliate.id)
    let expectedRevenue = 0n
    let expectedPayout = 0n
    let expectedAmount = 0n
    const calls: Array<Record<string, string>> = []
    for (let i = 0; i < CONVERSIONS; i++) {
      const goal = goals[Math.floor(next() * goals.length)]!
      // Amounts from 0.00 to 99,999,999.99 with a bias to small values, as text with 2 decimals.
      const magnitude = 10 ** Math.floor(next() * 10)
      const amount = BigInt(Math.floor(next() * magnitude))
      expectedAmount += amount
      expectedRevenue += percentOf(amount, scaled(goal.revenue, 4))
      expectedPayout += percentOf(amount, scaled(goal.payout, 4))
      calls.push({ click_id: clickId, goal: goal.key, amount: decimalText(amount, 2), token })
    }
    for (let i = 0; i < calls.length; i += 25) {
      const batch = await Promise.all(calls.slice(i, i + 25).map((call) => postbackGet(t, call)))
      for (const res of batch) expect(res.body.result).toBe('accepted')
    }

    let revenue = 0n
    let payout = 0n
    let amount = 0n
    let cursor: string | null = ''
    while (cursor !== null) {
      const page = await t.request('GET', `/api/v1/conversions?limit=1000&cursor=${cursor}`)
      for (const conversion of page.body.data) {
        // JSON numbers back to cents through their shortest text: exact for 2-decimal values.
        revenue += scaled(String(conversion.revenue), 2)
        payout += scaled(String(conversion.payout), 2)
        amount += scaled(String(conversion.amount), 2)
      }
      cursor = page.body.next_cursor
    }
    expect(amount).toBe(expectedAmount)
    expect(revenue).toBe(expectedRevenue)
    expect(payout).toBe(expectedPayout)

    const stored = await t.server.database.db
      .selectFrom('conversions')
      .select((eb) => [
        eb.fn.sum<number>('revenue').as('revenue'),
        eb.fn.sum<number>('payout').as('payout'),
      ])
      .executeTakeFirstOrThrow()
    expect(BigInt(stored.revenue)).toBe(expectedRevenue)
    expect(BigInt(stored.payout)).toBe(expectedPayout)
  }, 120_000)
})
