import { Button, Group, Modal, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { dataOrThrow } from '../api/api-error.ts'
import { api } from '../api/client.ts'
import { ErrorAlert } from '../shared/error-alert.tsx'

type Replay = { kind: 'selected'; ids: string[] } | { kind: 'failed' }

/**
 * Replays deliveries in bulk after a confirmation: the rows picked (one retry each), or every
 * failed delivery at once through `POST /api/v1/deliveries/retry`. Says how many went again.
 */
export function BulkReplay({
  selected,
  onReplayed,
}: {
  selected: string[]
  onReplayed: () => void
}) {
  const [asked, setAsked] = useState<Replay | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const queryClient = useQueryClient()
  const replay = useMutation({
    mutationFn: async (what: Replay): Promise<number> => {
      if (what.kind === 'failed') {
        const answer = dataOrThrow(
          await api.POST('/api/v1/deliveries/retry', { body: { state: 'failed' } }),
        )
        return answer.queued
      }
      // One at a time, so a refused one (being sent right now) leaves the others queued.
      let queued = 0
      for (const id of what.ids) {
        dataOrThrow(await api.POST('/api/v1/deliveries/{id}/retry', { params: { path: { id } } }))
        queued++
      }
      return queued
    },
    onSuccess: (queued) => {
      const words = `${queued} ${queued === 1 ? 'delivery' : 'deliveries'} queued again`
      setDone(words)
      setAsked(null)
      onReplayed()
      notifications.show({
        message: words,
        color: 'green',
        closeButtonProps: { 'aria-label': 'Dismiss' },
      })
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['deliveries'] }),
  })
  const ask = (what: Replay) => {
    replay.reset()
    setAsked(what)
  }
  const question =
    asked?.kind === 'selected'
      ? `Send the ${asked.ids.length} selected ${asked.ids.length === 1 ? 'delivery' : 'deliveries'} again now?`
      : 'Send every failed delivery again now?'

  return (
    <>
      <Group>
        <Button
          variant="default"
          disabled={selected.length === 0}
          onClick={() => ask({ kind: 'selected', ids: selected })}
        >
          {`Retry selected (${selected.length})`}
        </Button>
        <Button variant="default" onClick={() => ask({ kind: 'failed' })}>
          Retry all failed
        </Button>
        <Text size="sm" role="status">
          {done ?? ''}
        </Text>
      </Group>
      <Modal
        opened={asked !== null}
        onClose={() => setAsked(null)}
        title="Replay deliveries"
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        <Text mb="sm">{question}</Text>
        <Text size="sm" c="dimmed" mb="md">
          Each goes with its original event id, so a receiver that already has it can tell a repeat;
          it gets a fresh retry schedule. Deliveries of deleted endpoints are left out.
        </Text>
        <ErrorAlert error={replay.error} title="Could not replay every delivery" />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setAsked(null)}>
            Cancel
          </Button>
          <Button loading={replay.isPending} onClick={() => asked && replay.mutate(asked)}>
            Replay
          </Button>
        </Group>
      </Modal>
    </>
  )
}
