import { dataOrThrow } from '../api/api-error.ts'
import type { AdvertiserInput, AffiliateInput, OfferInput } from '../api/api-types.ts'
import { api } from '../api/client.ts'
import type { Status } from '../shared/search-params.ts'

// The catalog's calls, each a query key and a function, shared by its list and form pages.

export const advertisersQuery = (cursor?: string) => ({
  queryKey: ['advertisers', { cursor }],
  queryFn: async () =>
    dataOrThrow(await api.GET('/api/v1/advertisers', { params: { query: { cursor } } })),
})

export const advertiserQuery = (id: string) => ({
  queryKey: ['advertisers', id],
  queryFn: async () =>
    dataOrThrow(await api.GET('/api/v1/advertisers/{id}', { params: { path: { id } } })),
})

export async function saveAdvertiser(
  id: string | undefined,
  body: AdvertiserInput & { regenerate_postback_token?: boolean },
) {
  return id
    ? dataOrThrow(await api.PATCH('/api/v1/advertisers/{id}', { params: { path: { id } }, body }))
    : dataOrThrow(await api.POST('/api/v1/advertisers', { body }))
}

export const offersQuery = (filter: {
  cursor?: string
  status?: Status
  advertiser_id?: string
}) => ({
  queryKey: ['offers', filter],
  queryFn: async () => dataOrThrow(await api.GET('/api/v1/offers', { params: { query: filter } })),
})

export const offerQuery = (id: string) => ({
  queryKey: ['offers', id],
  queryFn: async () =>
    dataOrThrow(await api.GET('/api/v1/offers/{id}', { params: { path: { id } } })),
})

export async function saveOffer(id: string | undefined, body: OfferInput) {
  return id
    ? dataOrThrow(await api.PATCH('/api/v1/offers/{id}', { params: { path: { id } }, body }))
    : dataOrThrow(await api.POST('/api/v1/offers', { body }))
}

export const affiliatesQuery = (filter: { cursor?: string; status?: Status }) => ({
  queryKey: ['affiliates', filter],
  queryFn: async () =>
    dataOrThrow(await api.GET('/api/v1/affiliates', { params: { query: filter } })),
})

export const affiliateQuery = (id: string) => ({
  queryKey: ['affiliates', id],
  queryFn: async () =>
    dataOrThrow(await api.GET('/api/v1/affiliates/{id}', { params: { path: { id } } })),
})

export async function saveAffiliate(id: string | undefined, body: AffiliateInput) {
  return id
    ? dataOrThrow(await api.PATCH('/api/v1/affiliates/{id}', { params: { path: { id } }, body }))
    : dataOrThrow(await api.POST('/api/v1/affiliates', { body }))
}
