import { dataOrThrow } from '../api/api-error.ts'
import { api } from '../api/client.ts'

/**
 * Saves a report as CSV, fetched through the API client so a session and an API key both work
 * (a plain link would carry the cookie but not a key).
 */
export async function downloadReportCsv(
  query: { group_by: string; from?: string; to?: string; tz?: string },
  filename: string,
): Promise<void> {
  const { data, error, response } = await api.GET('/api/v1/reports', {
    params: { query: { ...query, format: 'csv' } },
    parseAs: 'text',
  })
  dataOrThrow({ data, error, response })
  const link = document.createElement('a')
  link.href = URL.createObjectURL(new Blob([data ?? ''], { type: 'text/csv' }))
  link.download = filename
  link.click()
  URL.revokeObjectURL(link.href)
}
