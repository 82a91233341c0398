import { dataOrThrow } from '../api/api-error.ts'
import type { EndpointChange, EndpointInput } from '../api/api-types.ts'
import { api } from '../api/client.ts'

// Postback endpoints (the API's `/api/v1/postbacks`): where an affiliate is told of conversions.

export const postbacksQuery = (filter: { cursor?: string; affiliate_id?: string }) => ({
  queryKey: ['postbacks', filter],
  queryFn: async () =>
    dataOrThrow(await api.GET('/api/v1/postbacks', { params: { query: filter } })),
})

export const postbackQuery = (id: string) => ({
  queryKey: ['postbacks', id],
  queryFn: async () =>
    dataOrThrow(await api.GET('/api/v1/postbacks/{id}', { params: { path: { id } } })),
})

export async function createPostback(body: EndpointInput) {
  return dataOrThrow(await api.POST('/api/v1/postbacks', { body }))
}

export async function changePostback(id: string, body: EndpointChange) {
  return dataOrThrow(await api.PATCH('/api/v1/postbacks/{id}', { params: { path: { id } }, body }))
}

/** Sends one made-up conversion to the endpoint now, and answers what was sent and received. */
export async function testPostback(id: string) {
  return dataOrThrow(await api.POST('/api/v1/postbacks/{id}/test', { params: { path: { id } } }))
}

/** Deletes an endpoint: no new deliveries, its pending ones cancelled; its log stays. */
export async function deletePostback(id: string) {
  const { error, response } = await api.DELETE('/api/v1/postbacks/{id}', {
    params: { path: { id } },
  })
  dataOrThrow({ data: null, error, response })
}
