import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyRollups, conversionCounts } from '../../src/reports/index.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { expected, localDay, makeEvents, normalize, toDeltas } from './raw-events.ts'

// Four days around the 2026-11-01 DST change in New York.
const START = Date.UTC(2026, 9, 30, 0, 0)
const SPAN_MS = 4 * 24 * 3_600_000

describeEachEngine('reports', (engine) => {
  let t: TestServer
  const events = makeEvents(3000, 7, START, SPAN_MS)
  // The tests only read, so one server and one load of rollups serve them all.
  beforeAll(async () => {
    t = await startTestServer(engine)
    await applyRollups(t.server.database.db, toDeltas(events))
  })
  afterAll(() => t.close())

  const range = 'from=2026-10-29&to=2026-11-04'

  it.each([
    ['UTC', 'day'],
    ['America/New_York', 'day'],
    ['UTC', 'day,offer_id'],
    ['America/New_York', 'day,offer_id'],
    ['Europe/Berlin', 'day,offer_id'],
    ['Asia/Tokyo', 'day,offer_id'],
  ])(
    'in %s by %s equals a brute-force count of the raw events, across a DST change',
    async (tz, groupBy) => {
      const res = await t.request('GET', `/api/v1/reports?group_by=${groupBy}&tz=${tz}&${range}`)
      expect(res.status).toBe(200)
      const byOffer = groupBy.includes('offer_id')
      const want = expected(events, (e) => ({
        day: localDay(tz, e.at),
        ...(byOffer ? { offer_id: String(e.offerId) } : {}),
      }))
      expect(want.length).toBeGreaterThanOrEqual(8)
      const keys = ['day', ...(byOffer ? ['offer_id'] : []), 'currency']
      expect(normalize(res.body.rows, keys)).toEqual(normalize(want, keys))
    },
  )

  it('groups by country and sub1 with missing values as null', async () => {
    const res = await t.request('GET', `/api/v1/reports?group_by=country,sub1&offer_id=1&${range}`)
    const want = expected(
      events.filter((e) => e.offerId === 1),
      (e) => ({ country: e.country, sub1: e.sub1 }),
    )
    expect(normalize(res.body.rows, ['country', 'sub1', 'currency'])).toEqual(
      normalize(want, ['country', 'sub1', 'currency']),
    )
  })

  it('groups by day and country in Berlin time from the geo rollup', async () => {
    const tz = 'Europe/Berlin'
    const res = await t.request('GET', `/api/v1/reports?group_by=day,country&tz=${tz}&${range}`)
    const want = expected(events, (e) => ({ day: localDay(tz, e.at), country: e.country }))
    expect(normalize(res.body.rows, ['day', 'country', 'currency'])).toEqual(
      normalize(want, ['day', 'country', 'currency']),
    )
  })

  it('shows DST fall-back as two distinct local hours', async () => {
    const res = await t.request(
      'GET',
      '/api/v1/reports?group_by=hour&tz=America/New_York&from=2026-11-01T00:00&to=2026-11-01T03:00&offer_id=1',
    )
    expect(res.body.rows.map((row: { hour: string }) => row.hour)).toEqual([
      '2026-11-01T00:00-04:00',
      '2026-11-01T01:00-04:00',
      '2026-11-01T01:00-05:00',
      '2026-11-01T02:00-05:00',
    ])
  })

  it('computes totals, cr, epc and profit from exact sums, and sorts and limits', async () => {
    const res = await t.request(
      'GET',
      `/api/v1/reports?group_by=affiliate_id&offer_id=1&sort=-clicks&limit=1&${range}`,
    )
    expect(res.body.rows).toHaveLength(1)
    const want = expected(
      events.filter((e) => e.offerId === 1),
      () => ({}),
    )[0]!
    const totals = res.body.totals
    expect(totals.clicks).toBe(want.clicks)
    expect(Math.round(totals.revenue * 100)).toBe(want.revenue)
    expect(Math.round(totals.profit * 100)).toBe((want.revenue as number) - (want.payout as number))
    expect(totals.cr).toBeCloseTo((want.conversions as number) / (want.clicks as number), 6)
    expect(totals.epc).toBeCloseTo((want.payout as number) / 100 / (want.clicks as number), 4)
    const both = await t.request(
      'GET',
      `/api/v1/reports?group_by=affiliate_id&offer_id=1&sort=-clicks&${range}`,
    )
    const clicks = both.body.rows.map((row: { clicks: number }) => row.clicks)
    expect(clicks).toEqual([...clicks].sort((a, b) => b - a))
    expect(res.body.rows[0].clicks).toBe(clicks[0])
  })

  it('keeps currencies apart and leaves mixed-currency money totals empty', async () => {
    const res = await t.request('GET', `/api/v1/reports?group_by=offer_id&${range}`)
    expect(res.body.rows.map((row: { currency: string }) => row.currency).sort()).toEqual([
      'JPY',
      'USD',
      'USD',
    ])
    expect(res.body.totals.revenue).toBeNull()
    expect(res.body.totals.clicks).toBe(events.filter((e) => e.kind === 'click').length)
  })

  it('exports CSV with quoting and formula cells defused', async () => {
    const res = await t.request('GET', `/api/v1/reports?group_by=sub1&offer_id=2&${range}`, {
      headers: { accept: 'text/csv' },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/csv')
    const lines = (res.body as string).trimEnd().split('\r\n')
    expect(lines[0]).toBe(
      'sub1,currency,clicks,unique_clicks,conversions,pending_conversions,rejected_conversions,held_conversions,flagged_conversions,revenue,payout,profit,cr,epc,blocked_clicks',
    )
    expect(lines.some((line) => line.startsWith('"b,""quoted""",USD,'))).toBe(true)
    expect(lines.some((line) => line.startsWith("'=HYPERLINK(),USD,"))).toBe(true)
    expect(lines).toHaveLength(5)
  })

  it('refuses an unknown dimension, time zone or date with 400', async () => {
    for (const query of [
      'group_by=planet',
      'tz=Mars/Base',
      'from=2026-02-30',
      'from=2026-11-02&to=2026-11-01',
    ]) {
      const res = await t.request('GET', `/api/v1/reports?${query}`)
      expect(res.status, query).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
    }
  })

  it('gives an affiliate key its own rows, without revenue or profit', async () => {
    const affiliate = await t.request('POST', '/api/v1/affiliates', { body: { name: 'A' } })
    const key = affiliate.body.api_key
    const res = await t.request('GET', `/api/v1/reports?group_by=affiliate_id&${range}`, { key })
    expect(res.status).toBe(200)
    expect(
      res.body.rows.every(
        (row: { affiliate_id: string }) => row.affiliate_id === affiliate.body.id,
      ),
    ).toBe(true)
    expect(res.body.totals.revenue).toBeUndefined()
    expect(res.body.totals.profit).toBeUndefined()
    expect(
      (await t.request('GET', `/api/v1/reports?affiliate_id=2&${range}`, { key })).status,
    ).toBe(404)
  })

  it('refuses an affiliate key sorting or filtering by revenue or profit with 403 hidden_field', async () => {
    const affiliate = await t.request('POST', '/api/v1/affiliates', { body: { name: 'A' } })
    const key = affiliate.body.api_key
    for (const [query, field] of [
      ['sort=revenue', 'sort'],
      ['sort=-profit', 'sort'],
      ['sort=-revenue&format=csv', 'sort'],
    ]) {
      const res = await t.request('GET', `/api/v1/reports?group_by=day&${query}&${range}`, { key })
      expect(res.status, query).toBe(403)
      expect(res.body.error).toMatchObject({ code: 'hidden_field', details: [{ field }] })
    }
    // Reports have no money filters: a filter by revenue or profit is an unknown parameter.
    for (const query of ['revenue=1', 'profit=0']) {
      const res = await t.request('GET', `/api/v1/reports?group_by=day&${query}&${range}`, { key })
      expect(res.status, query).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
    }
    const payout = await t.request('GET', `/api/v1/reports?sort=-payout&${range}`, { key })
    expect(payout.status).toBe(200)
    const admin = await t.request('GET', `/api/v1/reports?sort=-revenue&${range}`)
    expect(admin.status).toBe(200)
  })
})

describe('conversionCounts', () => {
  it('moves a reversal out of approved money', () => {
    expect(conversionCounts('approved', 'rejected', { revenue: 5, payout: 3 })).toEqual({
      rejected_conversions: 1,
      conversions: -1,
      revenue: -5,
      payout: -3,
    })
    expect(conversionCounts('pending', 'pending', { revenue: 5, payout: 3 })).toEqual({})
  })
})
