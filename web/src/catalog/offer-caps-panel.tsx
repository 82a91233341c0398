import { Table, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { dataOrThrow } from '../api/api-error.ts'
import { api } from '../api/client.ts'
import { ErrorAlert } from '../shared/error-alert.tsx'

/** An offer's caps and how much of each its current day, week or month has used. */
export function OfferCapsPanel({ offerId }: { offerId: string }) {
  const usage = useQuery({
    queryKey: ['offers', offerId, 'caps'],
    queryFn: async () =>
      dataOrThrow(await api.GET('/api/v1/offers/{id}/caps', { params: { path: { id: offerId } } })),
    refetchInterval: 10_000,
  })
  return (
    <section aria-labelledby="offer-caps">
      <Title order={2} size="h4" id="offer-caps" mb="xs">
        Cap usage
      </Title>
      <ErrorAlert error={usage.error} title="Could not load the caps" />
      {usage.data && usage.data.caps.length === 0 && (
        <Text size="sm" c="dimmed">
          No caps: clicks and conversions are never refused for volume. Add caps in the Caps part of
          the form above to limit clicks, conversions or payout.
        </Text>
      )}
      {usage.data && usage.data.caps.length > 0 && (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Metric</Table.Th>
              <Table.Th>Period</Table.Th>
              <Table.Th>Affiliate</Table.Th>
              <Table.Th>Used</Table.Th>
              <Table.Th>Limit</Table.Th>
              <Table.Th>Since</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {usage.data.caps.map((cap) => (
              <Table.Tr key={`${cap.metric}-${cap.period}-${cap.affiliate_id ?? 'all'}`}>
                <Table.Td>{cap.metric}</Table.Td>
                <Table.Td>{cap.period}</Table.Td>
                <Table.Td>{cap.affiliate_id ?? 'all'}</Table.Td>
                <Table.Td>{cap.used ?? 'counted on the tracking link'}</Table.Td>
                <Table.Td>{cap.limit}</Table.Td>
                <Table.Td>
                  {cap.period === 'total'
                    ? 'always'
                    : `${new Date(cap.window_start).toLocaleString()} (${usage.data.time_zone} ${cap.period})`}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </section>
  )
}
