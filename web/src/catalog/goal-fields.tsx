import { Button, Checkbox, Fieldset, Group, Select, Stack, Text, TextInput } from '@mantine/core'
import type { UseFormReturnType } from '@mantine/form'
import type { Offer } from '../api/api-types.ts'

/** One goal as the form holds it: amounts as typed, so "2.50" reaches the API unrounded. */
export interface GoalValues {
  /** The row's React key: goal keys are typed by hand and may repeat or be empty meanwhile. */
  row: number
  key: string
  name: string
  revenue: string
  revenue_type: 'fixed' | 'percent' | 'reported'
  payout: string
  payout_type: 'fixed' | 'percent'
  allow_multiple: boolean
}

const RATE_TYPES = [
  { value: 'fixed', label: 'Fixed amount' },
  { value: 'percent', label: 'Percent of the sale' },
]
/** Revenue may also be what the advertiser's postback reports (the rate is then 0). */
export const REVENUE_TYPES = [
  ...RATE_TYPES,
  { value: 'reported', label: 'Reported by the advertiser' },
]

export function goalValues(offer: Offer | undefined): GoalValues[] {
  return (offer?.goals ?? [])
    .filter((goal) => goal.key !== 'default')
    .map((goal) => ({
      row: nextRow++,
      key: goal.key,
      name: goal.name,
      revenue: String(goal.revenue ?? ''),
      revenue_type: goal.revenue_type ?? 'fixed',
      // Advertisers are not shown payouts; the form is for the network's people, who are.
      payout: String(goal.payout ?? ''),
      payout_type: goal.payout_type ?? 'fixed',
      allow_multiple: goal.allow_multiple,
    }))
}

let nextRow = 0

const NEW_GOAL: Omit<GoalValues, 'row'> = {
  key: '',
  name: '',
  revenue: '',
  revenue_type: 'fixed',
  payout: '',
  payout_type: 'fixed',
  allow_multiple: false,
}

/** Further goals of an offer (a lead, a sale…), each with its own money; errors land per field. */
export function GoalFields<V extends { goals: GoalValues[] }>({
  form,
}: {
  form: UseFormReturnType<V>
}) {
  const goals = form.getValues().goals
  // Mantine's list helpers are typed by path; the goals list is the one path used here.
  const list = form as unknown as UseFormReturnType<{ goals: GoalValues[] }>
  return (
    <Stack gap="xs">
      <Text fw={600} size="sm">
        Goals
      </Text>
      <Text size="sm" c="dimmed">
        The offer itself pays the revenue and payout above. Add a goal for each further event the
        advertiser reports (a lead, a sale), each with its own money.
      </Text>
      {goals.map((goal, index) => (
        <Fieldset key={goal.row} legend={`Goal ${index + 1}`}>
          <Stack gap="sm">
            <Group grow align="flex-start">
              <TextInput label="Key" withAsterisk {...list.getInputProps(`goals.${index}.key`)} />
              <TextInput label="Goal name" {...list.getInputProps(`goals.${index}.name`)} />
            </Group>
            <Group grow align="flex-start">
              <TextInput label="Goal revenue" {...list.getInputProps(`goals.${index}.revenue`)} />
              <Select
                label="Goal revenue type"
                data={REVENUE_TYPES}
                allowDeselect={false}
                {...list.getInputProps(`goals.${index}.revenue_type`)}
              />
            </Group>
            <Group grow align="flex-start">
              <TextInput label="Goal payout" {...list.getInputProps(`goals.${index}.payout`)} />
              <Select
                label="Goal payout type"
                data={RATE_TYPES}
                allowDeselect={false}
                {...list.getInputProps(`goals.${index}.payout_type`)}
              />
            </Group>
            <Group justify="space-between">
              <Checkbox
                label="May convert more than once per click"
                {...list.getInputProps(`goals.${index}.allow_multiple`, { type: 'checkbox' })}
              />
              <Button
                variant="default"
                size="compact-sm"
                aria-label={`Remove goal ${index + 1}${goal.key ? ` (${goal.key})` : ''}`}
                onClick={() => list.removeListItem('goals', index)}
              >
                Remove
              </Button>
            </Group>
          </Stack>
        </Fieldset>
      ))}
      <Group>
        <Button
          variant="default"
          onClick={() => list.insertListItem('goals', { ...NEW_GOAL, row: nextRow++ })}
        >
          Add goal
        </Button>
      </Group>
    </Stack>
  )
}
