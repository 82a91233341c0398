import { afterEach, beforeEach, expect, it } from 'vitest'
import type { ClicksTable } from '../../src/db/tables/clicks.ts'
import { as, invite, login } from '../access/people.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { clickIdOf, storedClick, visit } from './stored-click.ts'

const DAY = Date.parse('2026-11-20T00:00:00Z')
const HOUR = 3_600_000

describeEachEngine('click search API', (engine) => {
  let t: TestServer
  let catalog: Awaited<ReturnType<typeof createCatalog>>
  let other: { id: string; api_key: string }

  /** Writes clicks as the click writer stores them, at chosen times, for exact filters and pages. */
  async function storeClicks(rows: Array<Partial<ClicksTable>>) {
    await t.server.database.db
      .insertInto('clicks')
      .values(
        rows.map((row, index) => ({
          click_id: `c${String(index).padStart(3, '0')}`,
          offer_id: Number(catalog.offer.id),
          affiliate_id: Number(catalog.affiliate.id),
          sub1: null,
          sub2: null,
          sub3: null,
          sub4: null,
          sub5: null,
          source: null,
          ip: '203.0.113.7',
          user_agent: 'test',
          referrer: null,
          country: null,
          device_type: 'desktop',
          os: null,
          browser: null,
          is_bot: 0,
          is_unique: 1,
          created_at: DAY + index * HOUR,
          ...row,
        })),
      )
      .execute()
  }

  const ids = async (query: string, key?: string) => {
    const res = await t.request('GET', `/api/v1/clicks?${query}`, key ? { key } : {})
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body.data.map((click: { click_id: string }) => click.click_id)
  }

  beforeEach(async () => {
    t = await startTestServer(engine)
    catalog = await createCatalog(t)
    other = (await t.request('POST', '/api/v1/affiliates', { body: { name: 'Other' } })).body
  })
  afterEach(() => t.close())

  it('lists a real click with every field getClick shows', async () => {
    const res = await visit(t, `/c/${catalog.offer.id}?aff_id=${catalog.affiliate.id}&sub2=x`)
    const clickId = clickIdOf(res.headers.get('location'))
    await storedClick(t, clickId)
    const list = await t.request('GET', '/api/v1/clicks')
    const one = await t.request('GET', `/api/v1/clicks/${clickId}`)
    expect(list.body).toEqual({ data: [one.body], next_cursor: null })
    expect(one.body.sub2).toBe('x')
  })

  it('filters by sub ids, source, country, device, offer, affiliate and flags', async () => {
    await storeClicks([
      { sub1: 'a', sub3: 'k' },
      { sub1: 'b', source: 'fb', country: 'DE' },
      { device_type: 'mobile', is_bot: 1 },
      { is_unique: 0, sub5: 'z', affiliate_id: Number(other.id) },
    ])
    expect(await ids('sub1=a')).toEqual(['c000'])
    expect(await ids('sub3=k')).toEqual(['c000'])
    expect(await ids('sub5=z')).toEqual(['c003'])
    expect(await ids('source=fb&country=DE')).toEqual(['c001'])
    expect(await ids('country=US')).toEqual([])
    expect(await ids('device=mobile')).toEqual(['c002'])
    expect(await ids('is_bot=true')).toEqual(['c002'])
    expect(await ids('is_bot=false')).toEqual(['c003', 'c001', 'c000'])
    expect(await ids('is_unique=false')).toEqual(['c003'])
    expect(await ids(`affiliate_id=${other.id}`)).toEqual(['c003'])
    expect(await ids(`offer_id=${catalog.offer.id}&sub1=b`)).toEqual(['c001'])
    expect(await ids('offer_id=999')).toEqual([])
    expect(await ids('offer_id=not-an-id')).toEqual([])
  })

  it('filters by click time: a date is the whole UTC day, a datetime an instant', async () => {
    // One click an hour from 2026-11-20T00:00Z: 30 clicks reach into the next day.
    await storeClicks(Array.from({ length: 30 }, () => ({})))
    expect(await ids('from=2026-11-21&limit=100')).toHaveLength(6)
    expect(await ids('to=2026-11-20&limit=100')).toHaveLength(24)
    expect(await ids('from=2026-11-20T05:00:00Z&to=2026-11-20T07:00:00Z')).toEqual([
      'c007',
      'c006',
      'c005',
    ])
  })

  it('pages newest first with cursors, clicks of the same millisecond neither lost nor repeated', async () => {
    await storeClicks(
      Array.from({ length: 7 }, (_, index) => ({ created_at: DAY + Math.floor(index / 3) })),
    )
    const seen: string[] = []
    let cursor: string | null = ''
    while (cursor !== null) {
      const res = await t.request('GET', `/api/v1/clicks?limit=2&cursor=${cursor}`)
      expect(res.status).toBe(200)
      expect(res.body.data.length).toBeLessThanOrEqual(2)
      seen.push(...res.body.data.map((click: { click_id: string }) => click.click_id))
      cursor = res.body.next_cursor
    }
    expect(seen).toEqual(['c006', 'c005', 'c004', 'c003', 'c002', 'c001', 'c000'])
  })

  it('shows an affiliate its own clicks only, whatever it asks for', async () => {
    await storeClicks([{}, { affiliate_id: Number(other.id) }, {}])
    expect(await ids('', catalog.affiliate.api_key)).toEqual(['c002', 'c000'])
    expect(await ids('', other.api_key)).toEqual(['c001'])
    expect(await ids(`affiliate_id=${other.id}`, catalog.affiliate.api_key)).toEqual([])
  })

  it('refuses an advertiser, a missing key, bad input and unknown parameters', async () => {
    await invite(t, {
      email: 'adv@example.com',
      role: 'advertiser',
      advertiser_id: catalog.advertiser.id,
    })
    const advertiser = await t.request(
      'GET',
      '/api/v1/clicks',
      as(await login(t, 'adv@example.com')),
    )
    expect(advertiser.status).toBe(403)
    expect((await t.request('GET', '/api/v1/clicks', { key: null })).status).toBe(401)
    for (const query of [
      'from=yesterday',
      'to=2026-13-45',
      'is_bot=maybe',
      'limit=0',
      'limit=1001',
      'sub6=x',
      'click=1',
    ]) {
      const res = await t.request('GET', `/api/v1/clicks?${query}`)
      expect(res.status, query).toBe(400)
      expect(res.body.error.code, query).toBe('validation_failed')
    }
    for (const cursor of ['garbage', Buffer.from('12').toString('base64url'), 'x~y']) {
      const res = await t.request('GET', `/api/v1/clicks?cursor=${cursor}`)
      expect(res.status, cursor).toBe(400)
      expect(res.body.error.code).toBe('invalid_cursor')
    }
  })
})
