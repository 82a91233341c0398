import { Anchor, Badge, Button, Group, Modal, Stack, Table, Text, Textarea } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { Offer } from '../api/api-types.ts'
import { AnchorLink } from '../shared/anchor-link.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { requestAccess } from './offer-access-queries.ts'
import { countriesText } from './offer-countries.ts'

/** A payout as an affiliate reads it: money in the offer's currency, or a percent of the sale. */
export function payoutText(
  payout: number | undefined,
  type: string | undefined,
  currency: string,
): string {
  if (payout === undefined) return '—'
  return type === 'percent' ? `${payout} % of the sale` : `${payout} ${currency}`
}

// The destination without its click macros: where a visitor lands, to look at before promoting.
function previewUrl(offer: Offer): string {
  return offer.destination_url.replaceAll(/\{[a-z0-9_]+\}/g, '')
}

const ACCESS_LABEL = {
  granted: 'Open',
  pending: 'Requested',
  declined: 'Declined',
  requestable: 'Approval needed',
} as const

/** The offers an affiliate may run or ask for, with its own payouts and what to do next. */
export function AffiliateOffersTable({ offers }: { offers: Offer[] }) {
  const [asking, setAsking] = useState<Offer | undefined>()
  return (
    <>
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Your payout</Table.Th>
            <Table.Th>Goals</Table.Th>
            <Table.Th>Countries</Table.Th>
            <Table.Th>Preview</Table.Th>
            <Table.Th>Access</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {offers.map((offer) => (
            <Table.Tr key={offer.id}>
              <Table.Td>
                <Text fw={600} size="sm">
                  {offer.name}
                </Text>
                {offer.status !== 'active' && (
                  <Badge color="gray.7" size="sm">
                    {offer.status}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{payoutText(offer.payout, offer.payout_type, offer.currency)}</Table.Td>
              <Table.Td>
                {offer.goals.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    the offer only
                  </Text>
                ) : (
                  <Stack gap={0}>
                    {offer.goals.map((goal) => (
                      <Text size="sm" key={goal.key}>
                        {goal.name}: {payoutText(goal.payout, goal.payout_type, offer.currency)}
                      </Text>
                    ))}
                  </Stack>
                )}
              </Table.Td>
              <Table.Td>{countriesText(offer.targeting)}</Table.Td>
              <Table.Td>
                <Anchor
                  href={previewUrl(offer)}
                  target="_blank"
                  rel="noreferrer noopener"
                  size="sm"
                  aria-label={`Preview ${offer.name}`}
                >
                  Preview
                </Anchor>
              </Table.Td>
              <Table.Td>
                <AccessCell offer={offer} onAsk={() => setAsking(offer)} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {asking && <RequestAccessDialog offer={asking} onClose={() => setAsking(undefined)} />}
    </>
  )
}

function AccessCell({ offer, onAsk }: { offer: Offer; onAsk: () => void }) {
  const access = offer.access ?? 'granted'
  if (access === 'granted') {
    return (
      <Group gap="xs">
        <Badge color="teal.9">{ACCESS_LABEL.granted}</Badge>
        <AnchorLink
          to="/links"
          search={{ offer_id: offer.id }}
          aria-label={`Get link for ${offer.name}`}
        >
          Get link
        </AnchorLink>
      </Group>
    )
  }
  return (
    <Group gap="xs">
      <Badge color={access === 'declined' ? 'red.9' : 'gray.7'}>{ACCESS_LABEL[access]}</Badge>
      {access !== 'pending' && (
        <Button size="compact-sm" onClick={onAsk} aria-label={`Request access to ${offer.name}`}>
          Request access
        </Button>
      )}
    </Group>
  )
}

function RequestAccessDialog({ offer, onClose }: { offer: Offer; onClose: () => void }) {
  const queryClient = useQueryClient()
  const [note, setNote] = useState('')
  const ask = useMutation({
    mutationFn: () => requestAccess(offer.id, note.trim()),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['offers'] })
      await queryClient.invalidateQueries({ queryKey: ['access-requests'] })
      onClose()
    },
  })
  return (
    <Modal
      opened
      onClose={onClose}
      title={`Request access to ${offer.name}`}
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Stack>
        <Text size="sm">
          A manager of the network reads your request and approves or declines it. Tell them how you
          will promote the offer.
        </Text>
        <Textarea
          label="Note to the network"
          description="Traffic sources, countries, volumes."
          autosize
          minRows={3}
          maxLength={2000}
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
        />
        <ErrorAlert error={ask.error} title="Not sent" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => ask.mutate()} loading={ask.isPending}>
            Send request
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
