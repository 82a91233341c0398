import { afterEach, beforeEach, expect, it } from 'vitest'
import { findClick } from '../../src/clicks/index.ts'
import { clickIdOf, visit } from '../clicks/stored-click.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1'
const ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36'
const LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'
const GB_IP = '81.2.69.160'
const US_IP = '8.8.8.8'
const FALLBACK = 'https://fallback.example/other?o={offer_id}&cid={click_id}'

interface Visitor {
  ip?: string
  ua?: string
  query?: string
  affiliateId?: string
}

describeEachEngine('targeting and blocklists on the tracking link', (engine) => {
  let t: TestServer
  let offerId: string
  let affiliateId: string
  beforeEach(async () => {
    t = await startTestServer(engine, { BACKTRACK_TRUST_PROXY: '127.0.0.1' })
    const catalog = await createCatalog(t, {
      destination_url: 'https://shop.example/landing?cid={click_id}',
      fallback_url: FALLBACK,
    })
    offerId = catalog.offer.id
    affiliateId = catalog.affiliate.id
  })
  afterEach(() => t.close())

  /** Clicks and says where it went: `offer` with the stored click's id, or `fallback`. */
  async function click(visitor: Visitor = {}): Promise<'offer' | 'fallback' | number> {
    const res = await visit(
      t,
      `/c/${offerId}?aff_id=${visitor.affiliateId ?? affiliateId}&${visitor.query ?? ''}`,
      { 'x-forwarded-for': visitor.ip ?? GB_IP, 'user-agent': visitor.ua ?? IPHONE },
    )
    if (res.status !== 302) return res.status
    const location = res.headers.get('location')!
    if (location.startsWith('https://fallback.example/')) {
      expect(location).toBe(`https://fallback.example/other?o=${offerId}&cid=`)
      return 'fallback'
    }
    clickIdOf(location)
    return 'offer'
  }

  async function setOffer(body: Record<string, unknown>) {
    const res = await t.request('PATCH', `/api/v1/offers/${offerId}`, { body })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body
  }

  /** Waits for `clicks` and `blocked_clicks` of the offer to reach the counts, by reason. */
  async function expectCounts(clicks: number, blocked: Record<string, number>) {
    const total = Object.values(blocked).reduce((sum, n) => sum + n, 0)
    const report = await waitFor(
      async () => {
        const res = await t.request(
          'GET',
          `/api/v1/reports?group_by=blocked_reason&offer_id=${offerId}`,
        )
        expect(res.status).toBe(200)
        const { totals } = res.body
        return totals.clicks + totals.blocked_clicks >= clicks + total && res.body
      },
      // A busy machine can take a while to commit the batch and its rollups.
      { message: 'the clicks in the report', timeoutMs: 20_000 },
    )
    expect(report.totals).toMatchObject({ clicks, blocked_clicks: total })
    const byReason = Object.fromEntries(
      report.rows
        .filter((row: { blocked_reason: string | null }) => row.blocked_reason !== null)
        .map((row: { blocked_reason: string; blocked_clicks: number }) => [
          row.blocked_reason,
          row.blocked_clicks,
        ]),
    )
    expect(byReason).toEqual(blocked)
  }

  async function storedReasons(): Promise<Array<string | null>> {
    const rows = await t.server.database.db
      .selectFrom('clicks')
      .select(['blocked_reason'])
      .where('offer_id', '=', Number(offerId))
      .orderBy('created_at')
      .execute()
    return rows.map((row) => row.blocked_reason)
  }

  it('sends a click from a country outside the targeting to the fallback and counts it as blocked', async () => {
    const offer = await setOffer({ targeting: { countries: { allow: ['GB'] } } })
    expect(offer.targeting).toEqual({ countries: { allow: ['GB'] } })
    expect(await click({ ip: GB_IP })).toBe('offer')
    expect(await click({ ip: US_IP })).toBe('fallback')
    await expectCounts(1, { country: 1 })
    await setOffer({ targeting: { countries: { block: ['GB'] } } })
    expect(await click({ ip: GB_IP })).toBe('fallback')
    expect(await click({ ip: US_IP })).toBe('offer')
    await expectCounts(2, { country: 2 })
    expect(await storedReasons()).toEqual([null, 'country', 'country', null])
  })

  it('blocks by device type and by OS family', async () => {
    await setOffer({ targeting: { devices: { allow: ['mobile'] } } })
    expect(await click({ ua: IPHONE })).toBe('offer')
    expect(await click({ ua: LINUX })).toBe('fallback')
    await setOffer({ targeting: { os: { block: ['android'] } } })
    expect(await click({ ua: ANDROID })).toBe('fallback')
    expect(await click({ ua: LINUX })).toBe('offer')
    await setOffer({
      targeting: { os: { allow: ['ios', 'macos'] }, devices: { block: ['tablet'] } },
    })
    expect(await click({ ua: IPHONE })).toBe('offer')
    expect(await click({ ua: LINUX })).toBe('fallback')
    await expectCounts(3, { device: 1, os: 2 })
  })

  it('keeps to the schedule in the offer time zone', async () => {
    const zone = 'Asia/Tokyo'
    const weekday = isoWeekday(zone, Date.now())
    await setOffer({
      time_zone: zone,
      targeting: { schedule: [{ days: [weekday], from: '00:00', to: '24:00' }] },
    })
    expect(await click()).toBe('offer')
    const offer = await setOffer({
      targeting: { schedule: [{ days: [(weekday % 7) + 1], from: '00:00', to: '24:00' }] },
    })
    expect(offer.time_zone).toBe(zone)
    expect(await click()).toBe('fallback')
    await expectCounts(1, { schedule: 1 })
  })

  it('answers 404 to a blocked click without a fallback, and still stores it', async () => {
    await setOffer({ fallback_url: null, targeting: { countries: { allow: ['FR'] } } })
    expect(await click()).toBe(404)
    await expectCounts(0, { country: 1 })
  })

  it('blocks by every blocklist type, network-wide and per offer', async () => {
    const other = await t.request('POST', '/api/v1/affiliates', { body: { name: 'Bad' } })
    const entries: Array<[string, string, Visitor, Visitor]> = [
      ['ip', US_IP, { ip: US_IP }, { ip: GB_IP }],
      ['cidr', '81.2.69.0/24', { ip: '81.2.69.200' }, { ip: '81.2.70.1' }],
      ['user_agent', 'pixel 8', { ua: ANDROID }, { ua: IPHONE }],
      ['sub1', 'bad-1', { query: 'sub1=bad-1' }, { query: 'sub1=bad-10' }],
      ['sub2', 'x', { query: 'sub2=x' }, { query: 'sub1=x' }],
      ['sub3', 'x', { query: 'sub3=x' }, { query: 'sub3=X' }],
      ['sub4', 'x', { query: 'sub4=x' }, {}],
      ['sub5', 'x', { query: 'sub5=x' }, {}],
      ['source', 'spam', { query: 'source=spam' }, { query: 'source=ok' }],
      ['affiliate', other.body.id, { affiliateId: other.body.id }, {}],
    ]
    const expected: Record<string, number> = {}
    for (const [index, [type, value, blocked, allowed]] of entries.entries()) {
      const scope = index % 2 === 0 ? null : offerId
      const created = await t.request('POST', '/api/v1/blocklist', {
        body: { type, value, offer_id: scope },
      })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      expect(created.body).toMatchObject({ type, offer_id: scope })
      expect(await click(blocked), type).toBe('fallback')
      expect(await click(allowed), type).toBe('offer')
      expected[`blocklist_${type}`] = 1
      const removed = await t.request('DELETE', `/api/v1/blocklist/${created.body.id}`)
      expect(removed.status).toBe(204)
      expect(await click(blocked), `${type} removed`).toBe('offer')
    }
    await expectCounts(entries.length * 2, expected)
  })

  it('counts clicks past a click cap as blocked with cap_reached', async () => {
    const other = await t.request('POST', '/api/v1/affiliates', { body: { name: 'Other' } })
    const offer = await setOffer({
      caps: [
        { metric: 'clicks', period: 'day', limit: 3 },
        { metric: 'clicks', period: 'total', limit: 1, affiliate_id: other.body.id },
        { metric: 'conversions', period: 'month', limit: 10 },
      ],
    })
    expect(offer.caps).toEqual([
      { metric: 'clicks', period: 'day', limit: 3, affiliate_id: null },
      { metric: 'clicks', period: 'total', limit: 1, affiliate_id: other.body.id },
      { metric: 'conversions', period: 'month', limit: 10, affiliate_id: null },
    ])
    expect(await click({ affiliateId: other.body.id })).toBe('offer')
    expect(await click({ affiliateId: other.body.id })).toBe('fallback')
    expect(await click()).toBe('offer')
    expect(await click()).toBe('offer')
    expect(await click()).toBe('fallback')
    await expectCounts(3, { cap_reached: 2 })
    const blocked = await t.server.database.db
      .selectFrom('clicks')
      .select('click_id')
      .where('blocked_reason', '=', 'cap_reached')
      .executeTakeFirstOrThrow()
    const shown = await t.request('GET', `/api/v1/clicks/${blocked.click_id}`)
    expect(shown.body.blocked_reason).toBe('cap_reached')
    expect(await findClick(t.server.database.db, blocked.click_id)).toMatchObject({
      blockedReason: 'cap_reached',
      isUnique: false,
    })
  })

  it('groups clicks by is_bot', async () => {
    expect(await click({ ua: IPHONE })).toBe('offer')
    expect(await click({ ua: 'curl/8.0' })).toBe('offer')
    const report = await waitFor(async () => {
      const res = await t.request('GET', `/api/v1/reports?group_by=is_bot&sort=is_bot`)
      return res.body.totals.clicks === 2 && res.body
    })
    expect(report.rows.map((row: Record<string, unknown>) => [row.is_bot, row.clicks])).toEqual([
      ['false', 1],
      ['true', 1],
    ])
  })

  it('refuses targeting, caps and blocklist entries that are not valid', async () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ targeting: { countries: { allow: ['XX'] } } }, 'targeting.countries.allow.0'],
      [{ targeting: { countries: { allow: ['us'] } } }, 'targeting.countries.allow.0'],
      [{ targeting: { devices: { allow: ['phone'] } } }, 'targeting.devices.allow.0'],
      [
        { targeting: { schedule: [{ days: [1], from: '25:00', to: '26:00' }] } },
        'targeting.schedule.0.from',
      ],
      [
        { targeting: { schedule: [{ days: [8], from: '01:00', to: '02:00' }] } },
        'targeting.schedule.0.days.0',
      ],
      [
        { targeting: { schedule: [{ days: [1], from: '10:00', to: '10:00' }] } },
        'targeting.schedule.0.to',
      ],
      [{ targeting: { region: ['x'] } }, 'targeting.region'],
      [{ time_zone: 'Mars/Olympus' }, 'time_zone'],
      [{ caps: [{ metric: 'clicks', period: 'day', limit: 1.5 }] }, 'caps.0.limit'],
      [{ caps: [{ metric: 'clicks', period: 'hour', limit: 1 }] }, 'caps.0.period'],
    ]
    for (const [body, field] of bad) {
      const res = await t.request('PATCH', `/api/v1/offers/${offerId}`, { body })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
      expect(JSON.stringify(res.body.error), JSON.stringify(body)).toContain(field)
    }
    const missing = await t.request('PATCH', `/api/v1/offers/${offerId}`, {
      body: { caps: [{ metric: 'clicks', period: 'day', limit: 1, affiliate_id: '999' }] },
    })
    expect(missing.body.error.code).toBe('unknown_affiliate')
    for (const body of [
      { type: 'ip', value: '1.2.3' },
      { type: 'cidr', value: '10.0.0.0/33' },
      { type: 'affiliate', value: 'abc' },
      { type: 'referrer', value: 'x' },
      { type: 'sub1', value: '' },
    ]) {
      const res = await t.request('POST', '/api/v1/blocklist', { body })
      expect(res.status, JSON.stringify(body)).toBe(400)
    }
    const unknownOffer = await t.request('POST', '/api/v1/blocklist', {
      body: { type: 'ip', value: '1.2.3.4', offer_id: '999' },
    })
    expect(unknownOffer.body.error.code).toBe('unknown_offer')
    const first = await t.request('POST', '/api/v1/blocklist', {
      body: { type: 'ip', value: '2001:DB8:0:0::1' },
    })
    expect(first.body.value).toBe('2001:db8::1')
    const again = await t.request('POST', '/api/v1/blocklist', {
      body: { type: 'ip', value: '2001:db8::1' },
    })
    expect(again.status).toBe(409)
    const list = await t.request('GET', '/api/v1/blocklist?type=ip&offer_id=network')
    expect(list.body.data.map((entry: { value: string }) => entry.value)).toEqual(['2001:db8::1'])
    const audit = await t.request('GET', '/api/v1/audit-log?entity=blocklist')
    expect(audit.body.data[0]).toMatchObject({ action: 'create', entity_id: first.body.id })
  })
})

function isoWeekday(timeZone: string, at: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' }).format(at)
  return ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(name) + 1
}
