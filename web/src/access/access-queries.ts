import { dataOrThrow } from '../api/api-error.ts'
import type { ApiKeyInput, Role, UserChange } from '../api/api-types.ts'
import { api } from '../api/client.ts'

// The calls of the people pages (users, API keys, the audit log), each a query key and a function.

export const usersQuery = () => ({
  queryKey: ['users'],
  queryFn: async () => dataOrThrow(await api.GET('/api/v1/users')),
})

export async function inviteUser(body: {
  email: string
  name?: string
  role: Role
  affiliate_id?: string
  advertiser_id?: string
}) {
  return dataOrThrow(await api.POST('/api/v1/users', { body }))
}

export async function changeUser(id: string, body: UserChange) {
  return dataOrThrow(await api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body }))
}

export async function newInvite(id: string) {
  return dataOrThrow(await api.POST('/api/v1/users/{id}/reset', { params: { path: { id } } }))
}

export const apiKeysQuery = () => ({
  queryKey: ['api-keys'],
  queryFn: async () => dataOrThrow(await api.GET('/api/v1/api-keys')),
})

export async function createApiKey(body: ApiKeyInput) {
  return dataOrThrow(await api.POST('/api/v1/api-keys', { body }))
}

export async function revokeApiKey(id: string) {
  const { error, response } = await api.DELETE('/api/v1/api-keys/{id}', {
    params: { path: { id } },
  })
  dataOrThrow({ data: null, error, response })
}

export interface AuditFilter {
  cursor?: string
  entity?: string
  entity_id?: string
  actor_id?: string
}

export const auditLogQuery = (filter: AuditFilter) => ({
  queryKey: ['audit-log', filter],
  queryFn: async () =>
    dataOrThrow(await api.GET('/api/v1/audit-log', { params: { query: filter } })),
})
