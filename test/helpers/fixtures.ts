import { expect } from 'vitest'
import type { TestServer } from './test-server.ts'

/** Creates an advertiser, an offer and an affiliate through the API, as a user would. */
export async function createCatalog(
  t: Pick<TestServer, 'request'>,
  offer: Record<string, unknown> = {},
) {
  const advertiser = await t.request('POST', '/api/v1/advertisers', { body: { name: 'Acme' } })
  expect(advertiser.status).toBe(201)
  const created = await t.request('POST', '/api/v1/offers', {
    body: {
      advertiser_id: advertiser.body.id,
      name: 'Acme Shoes',
      destination_url: 'https://shop.example/landing?cid={click_id}&s1={sub1}',
      revenue: '2.50',
      payout: '1.75',
      ...offer,
    },
  })
  expect(created.status).toBe(201)
  const affiliate = await t.request('POST', '/api/v1/affiliates', { body: { name: 'Traffic Co' } })
  expect(affiliate.status).toBe(201)
  return { advertiser: advertiser.body, offer: created.body, affiliate: affiliate.body }
}
