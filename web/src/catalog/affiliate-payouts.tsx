import { Button, Group, Paper, Select, Table, Text, TextInput, Title } from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { may } from '../access/may.ts'
import { useSession } from '../access/session.ts'
import type { Offer } from '../api/api-types.ts'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { payoutText } from './affiliate-offers.tsx'
import { affiliatesQuery } from './catalog-queries.ts'
import {
  affiliatePayoutsQuery,
  removeAffiliatePayout,
  setAffiliatePayout,
} from './offer-access-queries.ts'

const EVERY_GOAL = '*'
const RATE_TYPES = [
  { value: 'fixed', label: 'Fixed amount' },
  { value: 'percent', label: 'Percent of the sale' },
]

/**
 * An offer's payouts for single affiliates: each wins over the offer's and the goal's payout for
 * that affiliate's new conversions, in reports and in its `{payout}`.
 */
export function AffiliatePayouts({ offer }: { offer: Offer }) {
  const session = useSession()
  const canChange = may(session, 'PUT /api/v1/offers/:id/payouts/:affiliate_id')
  const rules = useQuery({
    ...affiliatePayoutsQuery(offer.id),
    enabled: may(session, 'GET /api/v1/offers/:id/payouts'),
  })
  const queryClient = useQueryClient()
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['offers', offer.id] })
  const remove = useMutation({
    mutationFn: (rule: { affiliate_id: string; goal: string | null }) =>
      removeAffiliatePayout(offer.id, rule.affiliate_id, rule.goal),
    onSuccess: refresh,
  })
  if (!may(session, 'GET /api/v1/offers/:id/payouts')) return null
  const goalName = (goal: string | null) =>
    goal === null
      ? 'Every goal'
      : goal === 'default'
        ? 'The offer itself'
        : (offer.goals.find((g) => g.key === goal)?.name ?? goal)

  return (
    <Paper withBorder p="md" maw={720} component="section" aria-labelledby="affiliate-payouts">
      <Title order={2} size="h4" id="affiliate-payouts" mb="xs">
        Payouts for single affiliates
      </Title>
      <Text size="sm" mb="sm">
        An affiliate's own payout wins over the offer's and the goal's for its new conversions, in
        reports and in its postbacks' {'{payout}'}.
      </Text>
      <ErrorAlert error={rules.error ?? remove.error} title="Could not change the payouts" />
      {(rules.data?.data.length ?? 0) === 0 ? (
        <Text size="sm" c="dimmed">
          No affiliate has its own payout on this offer: every one earns the offer's.
        </Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Affiliate</Table.Th>
              <Table.Th>Goal</Table.Th>
              <Table.Th>Payout</Table.Th>
              {canChange && <Table.Th>Remove</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rules.data?.data.map((rule) => (
              <Table.Tr key={rule.id}>
                <Table.Td>{rule.affiliate_name}</Table.Td>
                <Table.Td>{goalName(rule.goal)}</Table.Td>
                <Table.Td>{payoutText(rule.payout, rule.payout_type, offer.currency)}</Table.Td>
                {canChange && (
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant="default"
                      aria-label={`Remove ${rule.affiliate_name}'s payout for ${goalName(rule.goal)}`}
                      onClick={() => remove.mutate(rule)}
                    >
                      Remove
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {canChange && <PayoutForm offer={offer} onSaved={refresh} />}
    </Paper>
  )
}

function PayoutForm({ offer, onSaved }: { offer: Offer; onSaved: () => Promise<void> }) {
  const affiliates = useQuery(affiliatesQuery({}))
  const [affiliateId, setAffiliateId] = useState<string | null>(null)
  const [goal, setGoal] = useState<string>(EVERY_GOAL)
  const [payout, setPayout] = useState('')
  const [type, setType] = useState<'fixed' | 'percent'>('fixed')
  const save = useMutation({
    mutationFn: () =>
      setAffiliatePayout(offer.id, affiliateId ?? '', {
        payout: payout.trim(),
        payout_type: type,
        goal: goal === EVERY_GOAL ? null : goal,
      }),
    onSuccess: async () => {
      setPayout('')
      await onSaved()
    },
  })
  const goals = [
    { value: EVERY_GOAL, label: 'Every goal' },
    { value: 'default', label: 'The offer itself' },
    ...offer.goals.map((g) => ({ value: g.key, label: g.name })),
  ]
  return (
    <form
      aria-label="Set an affiliate's payout"
      onSubmit={(event) => {
        event.preventDefault()
        save.mutate()
      }}
    >
      <Group align="flex-end" mt="md" wrap="wrap">
        <Select
          label="Affiliate"
          searchable
          data={(affiliates.data?.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
          value={affiliateId}
          onChange={setAffiliateId}
        />
        <Select
          label="Goal"
          data={goals}
          value={goal}
          allowDeselect={false}
          onChange={(value) => setGoal(value ?? EVERY_GOAL)}
        />
        <TextInput
          label="Affiliate payout"
          inputMode="decimal"
          value={payout}
          onChange={(event) => setPayout(event.currentTarget.value)}
          w={120}
        />
        <Select
          label="Affiliate payout type"
          data={RATE_TYPES}
          value={type}
          allowDeselect={false}
          onChange={(value) => setType(value === 'percent' ? 'percent' : 'fixed')}
        />
        <Button type="submit" loading={save.isPending} disabled={!affiliateId || !payout.trim()}>
          Set payout
        </Button>
      </Group>
      <ErrorAlert error={save.error} title="Payout not set" />
    </form>
  )
}
