import { afterEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { clickIdOf, storedClick, visit } from './stored-click.ts'

describeEachEngine('clicks in reports', (engine) => {
  let t: TestServer
  afterEach(() => t.close())

  it('counts stored clicks and unique clicks by country and sub id', async () => {
    t = await startTestServer(engine, { BACKTRACK_TRUST_PROXY: '127.0.0.1' })
    const { offer, affiliate } = await createCatalog(t)
    const path = `/c/${offer.id}?aff_id=${affiliate.id}&sub1=spring`
    const visits = [
      { 'x-forwarded-for': '81.2.69.160', 'user-agent': 'Mozilla/5.0 A' },
      { 'x-forwarded-for': '81.2.69.160', 'user-agent': 'Mozilla/5.0 A' },
      { 'x-forwarded-for': '81.2.69.160', 'user-agent': 'Mozilla/5.0 B' },
      { 'x-forwarded-for': '8.8.8.8', 'user-agent': 'Mozilla/5.0 A' },
    ]
    for (const headers of visits) {
      const res = await visit(t, path, headers)
      await storedClick(t, clickIdOf(res.headers.get('location')))
    }
    const today = new Date().toISOString().slice(0, 10)
    const res = await t.request(
      'GET',
      `/api/v1/reports?group_by=country,sub1&offer_id=${offer.id}&from=${today}&to=${today}`,
    )
    expect(res.status).toBe(200)
    const rows = res.body.rows.map((row: Record<string, unknown>) => ({
      country: row.country,
      sub1: row.sub1,
      clicks: row.clicks,
      unique_clicks: row.unique_clicks,
    }))
    expect(rows).toEqual(
      expect.arrayContaining([
        { country: 'GB', sub1: 'spring', clicks: 3, unique_clicks: 2 },
        { country: 'US', sub1: 'spring', clicks: 1, unique_clicks: 1 },
      ]),
    )
    expect(res.body.totals).toMatchObject({ clicks: 4, unique_clicks: 3 })
  })
})
