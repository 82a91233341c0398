import { Button, Group, Modal, Select, Stack, Textarea } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { dataOrThrow } from '../api/api-error.ts'
import type { Conversion } from '../api/api-types.ts'
import { api } from '../api/client.ts'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { CONVERSION_STATUSES, type ConversionStatus } from './conversion-statuses.ts'

/** "Change status": a dialog with the new status and why; the API decides which moves are allowed. */
export function ChangeStatusButton({ conversion }: { conversion: Conversion }) {
  const [opened, setOpened] = useState(false)
  const [status, setStatus] = useState<ConversionStatus>(conversion.status)
  const queryClient = useQueryClient()
  const change = useMutation({
    mutationFn: async (body: { status: ConversionStatus; reason: string | null }) =>
      dataOrThrow(
        await api.PATCH('/api/v1/conversions/{id}', {
          params: { path: { id: conversion.id } },
          body,
        }),
      ),
    onSuccess: async (changed) => {
      setOpened(false)
      notifications.show({
        message: `Conversion ${changed.id} is ${changed.status}`,
        color: 'green',
        closeButtonProps: { 'aria-label': 'Dismiss' },
      })
      // A change queues postbacks: the deliveries below change too.
      await queryClient.invalidateQueries({ queryKey: ['conversions'] })
      await queryClient.invalidateQueries({ queryKey: ['deliveries'] })
    },
  })
  const open = () => {
    setStatus(conversion.status)
    change.reset()
    setOpened(true)
  }
  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const reason = String(new FormData(event.currentTarget).get('reason') ?? '').trim()
    change.mutate({ status, reason: reason || null })
  }

  return (
    <>
      <Button onClick={open}>Change status</Button>
      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title="Change status"
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        <form onSubmit={save}>
          <Stack>
            <ErrorAlert error={change.error} title="Could not change the status" />
            <Select
              label="Status"
              data={[...CONVERSION_STATUSES]}
              value={status}
              allowDeselect={false}
              onChange={(value) => value && setStatus(value as ConversionStatus)}
            />
            <Textarea
              label="Reason"
              name="reason"
              description="Kept in the status history and the audit log; up to 200 characters"
              maxLength={200}
              autosize
              minRows={2}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpened(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={change.isPending}>
                Save status
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  )
}
