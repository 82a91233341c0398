import { Alert, Button, Checkbox, Group, Table, TextInput } from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { getRouteApi, Link } from '@tanstack/react-router'
import { useState } from 'react'
import { dataOrThrow } from '../api/api-error.ts'
import { api } from '../api/client.ts'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { NextPage } from '../shared/next-page.tsx'
import { PageTitle } from '../shell/app-shell.tsx'
import { ConversionFlags } from './conversion-flags.tsx'

const route = getRouteApi('/app/review')

/** Conversions a fraud rule held: approve or reject them, one or many, with a reason. */
export function ReviewQueuePage() {
  const search = route.useSearch()
  const navigate = route.useNavigate()
  const queryClient = useQueryClient()
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [reason, setReason] = useState('')
  const queue = useQuery({
    queryKey: ['conversions', 'review', search],
    queryFn: async () =>
      dataOrThrow(
        await api.GET('/api/v1/conversions', {
          params: { query: { ...search, status: 'pending', reason: 'held' } },
        }),
      ),
  })
  const review = useMutation({
    mutationFn: async (status: 'approved' | 'rejected') =>
      dataOrThrow(
        await api.POST('/api/v1/conversions/review', {
          body: { ids: [...selected], status, reason: reason.trim() || null },
        }),
      ),
    onSuccess: () => {
      setSelected(new Set())
      setReason('')
      void queryClient.invalidateQueries({ queryKey: ['conversions'] })
    },
  })
  const rows = queue.data?.data ?? []
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected)
    if (on) next.add(id)
    else next.delete(id)
    setSelected(next)
  }
  const done = review.data?.results ?? []
  const failed = done.filter((result) => result.error)

  return (
    <>
      <PageTitle>Review queue</PageTitle>
      <ErrorAlert error={queue.error} title="Could not load the review queue" />
      <ErrorAlert error={review.error} title="Could not review the conversions" />
      {review.isSuccess && (
        <Alert color={failed.length > 0 ? 'orange' : 'teal'} mb="md" role="status">
          {`${done.length - failed.length} reviewed as ${review.variables}.`}
          {failed.map((result) => ` Conversion ${result.id}: ${result.error?.message}`).join('')}
        </Alert>
      )}
      {queue.isSuccess && rows.length === 0 ? (
        <EmptyState
          title="Nothing to review"
          next="Conversions a fraud rule holds (action hold) wait here for a decision. Set the rules network-wide with PUT /api/v1/settings/fraud or per offer in its fraud field; until then every conversion is judged by the advertiser's status alone."
          action={
            <Button component={Link} to="/conversions" variant="light">
              See all conversions
            </Button>
          }
        />
      ) : (
        <>
          <Group mb="md" align="flex-end">
            <TextInput
              label="Reason"
              description="Kept in each conversion's history"
              maxLength={200}
              value={reason}
              onChange={(event) => setReason(event.currentTarget.value)}
            />
            <Button
              color="teal.9"
              disabled={selected.size === 0}
              loading={review.isPending && review.variables === 'approved'}
              onClick={() => review.mutate('approved')}
            >
              Approve selected ({selected.size})
            </Button>
            <Button
              color="red.9"
              disabled={selected.size === 0}
              loading={review.isPending && review.variables === 'rejected'}
              onClick={() => review.mutate('rejected')}
            >
              Reject selected ({selected.size})
            </Button>
          </Group>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>
                  <Checkbox
                    aria-label="Select all"
                    checked={rows.length > 0 && rows.every((row) => selected.has(row.id))}
                    onChange={(event) =>
                      setSelected(
                        event.currentTarget.checked
                          ? new Set(rows.map((row) => row.id))
                          : new Set(),
                      )
                    }
                  />
                </Table.Th>
                <Table.Th>Time</Table.Th>
                <Table.Th>Conversion</Table.Th>
                <Table.Th>Offer</Table.Th>
                <Table.Th>Affiliate</Table.Th>
                <Table.Th>Payout</Table.Th>
                <Table.Th>Flags</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((conversion) => (
                <Table.Tr key={conversion.id}>
                  <Table.Td>
                    <Checkbox
                      aria-label={`Select conversion ${conversion.id}`}
                      checked={selected.has(conversion.id)}
                      onChange={(event) => toggle(conversion.id, event.currentTarget.checked)}
                    />
                  </Table.Td>
                  <Table.Td>{new Date(conversion.created_at).toLocaleString()}</Table.Td>
                  <Table.Td>{conversion.id}</Table.Td>
                  <Table.Td>{conversion.offer_id}</Table.Td>
                  <Table.Td>{conversion.affiliate_id}</Table.Td>
                  <Table.Td>
                    {conversion.payout} {conversion.currency}
                  </Table.Td>
                  <Table.Td>
                    <ConversionFlags flags={conversion.flags} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
      <NextPage
        cursor={search.cursor}
        nextCursor={queue.data?.next_cursor}
        onPage={(cursor) => navigate({ search: (prev) => ({ ...prev, cursor }) })}
      />
    </>
  )
}
