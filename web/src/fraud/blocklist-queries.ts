import { dataOrThrow } from '../api/api-error.ts'
import { api } from '../api/client.ts'
import type { operations } from '../api/schema.d.ts'

// The blocklist (`/api/v1/blocklist`): values whose clicks go to the offer's fallback URL.

export type BlocklistFilter = NonNullable<operations['listBlocklist']['parameters']['query']>
export type BlocklistInput =
  operations['createBlocklistEntry']['requestBody']['content']['application/json']
export type BlocklistType = BlocklistInput['type']

export const BLOCKLIST_TYPES: ReadonlyArray<{ value: BlocklistType; label: string }> = [
  { value: 'ip', label: 'IP address' },
  { value: 'cidr', label: 'IP range (CIDR)' },
  { value: 'user_agent', label: 'User agent contains' },
  { value: 'sub1', label: 'sub1' },
  { value: 'sub2', label: 'sub2' },
  { value: 'sub3', label: 'sub3' },
  { value: 'sub4', label: 'sub4' },
  { value: 'sub5', label: 'sub5' },
  { value: 'source', label: 'Source' },
  { value: 'affiliate', label: 'Affiliate id' },
]

export const blocklistQuery = (filter: BlocklistFilter) => ({
  queryKey: ['blocklist', filter],
  queryFn: async () =>
    dataOrThrow(await api.GET('/api/v1/blocklist', { params: { query: filter } })),
})

export async function addBlocklistEntry(body: BlocklistInput) {
  return dataOrThrow(await api.POST('/api/v1/blocklist', { body }))
}

export async function removeBlocklistEntry(id: string) {
  const { error, response } = await api.DELETE('/api/v1/blocklist/{id}', {
    params: { path: { id } },
  })
  dataOrThrow({ data: null, error, response })
}
