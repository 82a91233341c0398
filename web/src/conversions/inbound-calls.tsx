import { Badge, Code, Table, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { dataOrThrow } from '../api/api-error.ts'
import { api } from '../api/client.ts'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { RESULT_WORDS, reasonInWords } from './postback-reasons.ts'

// Dark shades: white text on them passes WCAG AA.
const RESULT_COLOURS = {
  accepted: 'teal.9',
  duplicate: 'gray.7',
  updated: 'blue.9',
  rejected: 'grape.9',
  error: 'red.9',
} as const

/**
 * Every call to /postback about this click, refused ones included: a refused call has no
 * conversion id, so the click id is what ties a failed attempt to the conversion it was about.
 */
export function InboundCalls({ clickId }: { clickId: string }) {
  const calls = useQuery({
    queryKey: ['postback-log', { click_id: clickId }],
    queryFn: async () =>
      dataOrThrow(
        await api.GET('/api/v1/postback-log', {
          params: { query: { click_id: clickId, limit: 100 } },
        }),
      ),
  })
  const rows = calls.data?.data ?? []
  if (calls.error) return <ErrorAlert error={calls.error} title="Could not load the calls" />
  if (calls.isSuccess && rows.length === 0) {
    return (
      <Text c="dimmed">
        No call for this click is in the postback log: it may be older than the log's retention.
      </Text>
    )
  }
  return (
    <Table striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Time</Table.Th>
          <Table.Th>Verdict</Table.Th>
          <Table.Th>Reason</Table.Th>
          <Table.Th>Conversion</Table.Th>
          <Table.Th>From</Table.Th>
          <Table.Th>Parameters</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((line) => (
          <Table.Tr key={line.id}>
            <Table.Td>{new Date(line.at).toLocaleString()}</Table.Td>
            <Table.Td>
              <Badge color={RESULT_COLOURS[line.result]}>{line.result}</Badge>
              <Text size="sm">{RESULT_WORDS[line.result]}</Text>
            </Table.Td>
            <Table.Td>{reasonInWords(line.reason, line.message)}</Table.Td>
            <Table.Td>{line.conversion_id ?? '—'}</Table.Td>
            <Table.Td>
              {line.method} {line.ip} (HTTP {line.http_status})
            </Table.Td>
            <Table.Td>
              <Code style={{ wordBreak: 'break-all' }}>
                {new URLSearchParams(stringValues(line.params)).toString()}
              </Code>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

function stringValues(params: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, String(value)]))
}
