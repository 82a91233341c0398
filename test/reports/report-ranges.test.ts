import { afterAll, beforeAll, expect, it } from 'vitest'
import { applyRollups } from '../../src/reports/index.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { expected, localDay, makeEvents, normalize, type RawEvent, toDeltas } from './raw-events.ts'

// Fifty days across both autumn DST changes (Berlin on Oct 25, New York on Nov 1), so ranges are
// read from 16-day, 4-day, daily, 4-hour and hourly buckets together.
const START = Date.UTC(2026, 9, 1)
const DAY_MS = 86_400_000
const SPAN_MS = 50 * DAY_MS
const HOUR_MS = 3_600_000

const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Tokyo']
const GROUPINGS = ['offer_id,affiliate_id', 'day', 'day,offer_id', 'goal']

/** Dates (local days, `to` inclusive) and one instant pair, picked by a seeded generator. */
function ranges(seed: number): Array<{
  query: string
  /** Where the range starts and ends (exclusive), in UTC milliseconds, before any time zone. */
  from: number
  to: number
  contains: (tz: string, at: number) => boolean
}> {
  let state = seed
  const random = (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return Math.floor((state / 2 ** 31) * n)
  }
  const date = (ms: number) => new Date(ms).toISOString().slice(0, 10)
  const picked = [0, 1, 2].map(() => {
    const from = START + random(20) * DAY_MS
    const to = from + (1 + random(30)) * DAY_MS
    const [first, last] = [date(from), date(to)]
    return {
      query: `from=${first}&to=${last}`,
      from,
      to: to + DAY_MS,
      contains: (tz: string, at: number) => localDay(tz, at) >= first && localDay(tz, at) <= last,
    }
  })
  // Instants are widened to whole hours.
  const from = START + random(40 * 24) * HOUR_MS + 17 * 60_000
  const to = from + random(9 * 24) * HOUR_MS + 1
  const within = (at: number) =>
    at >= Math.floor(from / HOUR_MS) * HOUR_MS && at < Math.ceil(to / HOUR_MS) * HOUR_MS
  return [
    ...picked,
    {
      query: `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`,
      from,
      to,
      contains: (_tz: string, at: number) => within(at),
    },
  ]
}

describeEachEngine('reports over long ranges', (engine) => {
  let t: TestServer
  const events = makeEvents(4000, 23, START, SPAN_MS)
  beforeAll(async () => {
    t = await startTestServer(engine)
    await applyRollups(t.server.database.db, toDeltas(events))
  })
  afterAll(() => t.close())

  it.each(ZONES)(
    'in %s, any range and grouping equals a brute-force count of the raw events',
    async (tz) => {
      for (const [index, range] of ranges(ZONES.indexOf(tz) + 1).entries()) {
        for (const groupBy of GROUPINGS) {
          const query = `group_by=${groupBy}&tz=${tz}&${range.query}&limit=10000`
          const res = await t.request('GET', `/api/v1/reports?${query}`)
          expect(res.status, query).toBe(200)
          const keys = [...new Set([...groupBy.split(','), 'currency'])]
          const inRange = events.filter((e) => range.contains(tz, e.at))
          // An empty range would pass by comparing nothing with nothing.
          expect(range.to, query).toBeGreaterThan(range.from)
          expect(inRange.length, query).toBeGreaterThan(index === 0 ? 50 : 0)
          expect(res.body.rows.length, query).toBeGreaterThan(0)
          const want = expected(inRange, (e: RawEvent) => keyOf(e, keys, tz))
          expect(normalize(res.body.rows, keys), query).toEqual(normalize(want, keys))
        }
      }
    },
  )
})

function keyOf(event: RawEvent, keys: string[], tz: string): Record<string, string | null> {
  const out: Record<string, string | null> = {}
  for (const key of keys) {
    if (key === 'day') out.day = localDay(tz, event.at)
    else if (key === 'offer_id') out.offer_id = String(event.offerId)
    else if (key === 'affiliate_id') out.affiliate_id = String(event.affiliateId)
    else if (key === 'goal') out.goal = event.kind === 'click' ? null : event.goal
  }
  return out
}
