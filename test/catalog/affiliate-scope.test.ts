import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'

describeEachEngine('affiliate API keys', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine)
  })
  afterEach(() => t.close())

  it('answers 401 without a key or with a wrong one', async () => {
    const none = await t.request('GET', '/api/v1/offers', { key: null })
    expect(none.status).toBe(401)
    expect(none.body.error.code).toBe('unauthorized')
    expect((await t.request('GET', '/api/v1/offers', { key: 'bt_aff_nope' })).status).toBe(401)
  })

  it('cannot create advertisers, offers or affiliates (403)', async () => {
    const { advertiser, affiliate } = await createCatalog(t)
    const key = affiliate.api_key
    const tries = [
      ['/api/v1/advertisers', { name: 'x' }],
      [
        '/api/v1/offers',
        {
          advertiser_id: advertiser.id,
          name: 'x',
          destination_url: 'https://x.example/',
          revenue: 1,
          payout: 1,
        },
      ],
      ['/api/v1/affiliates', { name: 'x' }],
    ] as const
    for (const [path, body] of tries) {
      const res = await t.request('POST', path, { body, key })
      expect(res.status, path).toBe(403)
      expect(res.body.error.code).toBe('forbidden')
    }
    expect((await t.request('GET', '/api/v1/affiliates')).body.data).toHaveLength(1)
  })

  it('sees itself and its own endpoints only; others are 404', async () => {
    const { affiliate, offer } = await createCatalog(t)
    const other = (await t.request('POST', '/api/v1/affiliates', { body: { name: 'Other' } })).body
    const theirs = await t.request('POST', '/api/v1/postbacks', {
      body: { affiliate_id: other.id, url: 'https://other.example/pb' },
    })
    const key = affiliate.api_key

    const mine = await t.request('POST', '/api/v1/postbacks', {
      body: { affiliate_id: affiliate.id, url: 'https://mine.example/pb?c={click_id}' },
      key,
    })
    expect(mine.status).toBe(201)
    const forOther = await t.request('POST', '/api/v1/postbacks', {
      body: { affiliate_id: other.id, url: 'https://mine.example/pb' },
      key,
    })
    expect(forOther.status).toBe(404)

    expect((await t.request('GET', `/api/v1/postbacks/${theirs.body.id}`, { key })).status).toBe(
      404,
    )
    expect(
      (
        await t.request('PATCH', `/api/v1/postbacks/${theirs.body.id}`, {
          body: { url: 'https://x.example/' },
          key,
        })
      ).status,
    ).toBe(404)
    const list = await t.request('GET', '/api/v1/postbacks', { key })
    expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([mine.body.id])

    expect((await t.request('GET', `/api/v1/affiliates/${other.id}`, { key })).status).toBe(404)
    const affiliates = await t.request('GET', '/api/v1/affiliates', { key })
    expect(affiliates.body.data.map((a: { id: string }) => a.id)).toEqual([affiliate.id])

    expect((await t.request('GET', '/api/v1/advertisers', { key })).status).toBe(404)
    const offerView = await t.request('GET', `/api/v1/offers/${offer.id}`, { key })
    expect(offerView.status).toBe(200)
    expect(offerView.body.revenue).toBeUndefined()
    expect(offerView.body.advertiser_id).toBeUndefined()
    expect(offerView.body.payout).toBe(1.75)
  })
})
