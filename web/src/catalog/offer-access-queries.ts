import { dataOrThrow } from '../api/api-error.ts'
import { api } from '../api/client.ts'

// Offer access and per-affiliate payouts: requests, decisions and rules, as query keys and calls.

export const ACCESS_STATES = ['pending', 'approved', 'declined'] as const
export type AccessState = (typeof ACCESS_STATES)[number]

export interface AccessRequestFilter {
  cursor?: string
  state?: AccessState
  offer_id?: string
  affiliate_id?: string
}

export const accessRequestsQuery = (filter: AccessRequestFilter) => ({
  queryKey: ['access-requests', filter],
  queryFn: async () =>
    dataOrThrow(await api.GET('/api/v1/access-requests', { params: { query: filter } })),
})

export async function requestAccess(offerId: string, note: string) {
  return dataOrThrow(
    await api.POST('/api/v1/offers/{id}/access-requests', {
      params: { path: { id: offerId } },
      body: note ? { note } : {},
    }),
  )
}

export async function decideRequest(id: string, state: 'approved' | 'declined', note: string) {
  return dataOrThrow(
    await api.PATCH('/api/v1/access-requests/{id}', {
      params: { path: { id } },
      body: note ? { state, note } : { state },
    }),
  )
}

export const affiliatePayoutsQuery = (offerId: string) => ({
  queryKey: ['offers', offerId, 'payouts'],
  queryFn: async () =>
    dataOrThrow(
      await api.GET('/api/v1/offers/{id}/payouts', { params: { path: { id: offerId } } }),
    ),
})

export async function setAffiliatePayout(
  offerId: string,
  affiliateId: string,
  body: { payout: string; payout_type: 'fixed' | 'percent'; goal: string | null },
) {
  return dataOrThrow(
    await api.PUT('/api/v1/offers/{id}/payouts/{affiliate_id}', {
      params: { path: { id: offerId, affiliate_id: affiliateId } },
      body,
    }),
  )
}

export async function removeAffiliatePayout(
  offerId: string,
  affiliateId: string,
  goal: string | null,
) {
  dataOrThrow(
    await api.DELETE('/api/v1/offers/{id}/payouts/{affiliate_id}', {
      params: {
        path: { id: offerId, affiliate_id: affiliateId },
        query: goal === null ? {} : { goal },
      },
    }),
  )
}
