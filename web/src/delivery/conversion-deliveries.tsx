import { Button, Code, Group, Paper, Stack, Table, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { may } from '../access/may.ts'
import { useSession } from '../access/session.ts'
import { dataOrThrow } from '../api/api-error.ts'
import type { Delivery } from '../api/api-types.ts'
import { api } from '../api/client.ts'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { StateBadge } from './state-badge.tsx'

/** Every delivery of one conversion, each with its request, its attempts and their answers. */
export function ConversionDeliveries({ conversionId }: { conversionId: string }) {
  const deliveries = useQuery({
    queryKey: ['deliveries', { conversion_id: conversionId }],
    queryFn: async () =>
      dataOrThrow(
        await api.GET('/api/v1/deliveries', {
          params: { query: { conversion_id: conversionId, limit: 100 } },
        }),
      ),
    // While one is on its way, its answer is due within seconds.
    refetchInterval: (query) =>
      query.state.data?.data.some((delivery) => delivery.state === 'pending') ? 1000 : false,
  })
  const rows = deliveries.data?.data ?? []
  if (deliveries.error) {
    return <ErrorAlert error={deliveries.error} title="Could not load the deliveries" />
  }
  if (deliveries.isSuccess && rows.length === 0) {
    return (
      <Text c="dimmed">
        No postbacks were sent for this conversion: the affiliate has no endpoint for this offer and
        status. An endpoint added now receives the next status change.
      </Text>
    )
  }
  return (
    <Stack>
      {rows.map((delivery) => (
        <DeliveryCard key={delivery.id} delivery={delivery} />
      ))}
    </Stack>
  )
}

function DeliveryCard({ delivery }: { delivery: Delivery }) {
  const session = useSession()
  const queryClient = useQueryClient()
  const retry = useMutation({
    mutationFn: async () =>
      dataOrThrow(
        await api.POST('/api/v1/deliveries/{id}/retry', {
          params: { path: { id: delivery.id } },
        }),
      ),
    onSuccess: () => {
      notifications.show({
        message: `Delivery ${delivery.id} queued again`,
        color: 'green',
        closeButtonProps: { 'aria-label': 'Dismiss' },
      })
      return queryClient.invalidateQueries({ queryKey: ['deliveries'] })
    },
  })
  const label = `Delivery ${delivery.id}`
  return (
    <Paper withBorder p="md" component="section" aria-label={label}>
      <Group justify="space-between" mb="xs">
        <Group>
          <Text fw={600}>{label}</Text>
          <StateBadge state={delivery.state} />
          <Text size="sm" c="dimmed">
            to endpoint {delivery.postback_id}, event {delivery.event_id}
          </Text>
        </Group>
        {may(session, 'POST /api/v1/deliveries/:id/retry') && delivery.state !== 'pending' && (
          <Button variant="default" loading={retry.isPending} onClick={() => retry.mutate()}>
            Retry delivery
          </Button>
        )}
      </Group>
      <ErrorAlert error={retry.error} title="Could not retry" />
      <Code block mb="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {`${delivery.request.method} ${delivery.request.url}`}
        {delivery.request.body ? `\n\n${delivery.request.body}` : ''}
      </Code>
      {delivery.next_attempt_at && (
        <Text size="sm" mb="xs">
          Next attempt {new Date(delivery.next_attempt_at).toLocaleString()}
        </Text>
      )}
      {delivery.attempts.length === 0 ? (
        <Text size="sm" c="dimmed">
          Not sent yet.
        </Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Attempt</Table.Th>
              <Table.Th>Time</Table.Th>
              <Table.Th>Answer</Table.Th>
              <Table.Th>Took</Table.Th>
              <Table.Th>Body of the answer</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {delivery.attempts.map((attempt, index) => (
              <Table.Tr key={attempt.at}>
                <Table.Td>{index + 1}</Table.Td>
                <Table.Td>{new Date(attempt.at).toLocaleString()}</Table.Td>
                <Table.Td>{answerOf(attempt)}</Table.Td>
                <Table.Td>{attempt.duration_ms} ms</Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>
                  {attempt.response_body ?? '—'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  )
}

/** The status code, and the error when it says more than the code (a timeout, a refused address). */
function answerOf(attempt: Delivery['attempts'][number]): string {
  const status = attempt.status_code === null ? null : `HTTP ${attempt.status_code}`
  const error = attempt.error === status ? null : attempt.error
  return [status, error].filter(Boolean).join(': ') || '—'
}
