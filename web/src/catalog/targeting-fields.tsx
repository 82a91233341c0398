import {
  Button,
  Fieldset,
  Group,
  MultiSelect,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core'
import type { UseFormReturnType } from '@mantine/form'
import type { Offer, OfferInput } from '../api/api-types.ts'

type TargetingInput = NonNullable<OfferInput['targeting']>
type CapInput = NonNullable<OfferInput['caps']>[number]

/** Targeting and caps as the form holds them: lists as typed, rows with a React key. */
export interface TargetingValues {
  time_zone: string
  targeting: {
    countries: { allow: string[]; block: string[] }
    devices: { allow: string[]; block: string[] }
    os: { allow: string[]; block: string[] }
    schedule: Array<{ row: number; days: string[]; from: string; to: string }>
  }
  caps: Array<{ row: number; metric: string; period: string; limit: string; affiliate_id: string }>
}

const DEVICES = ['desktop', 'mobile', 'tablet', 'smarttv', 'console', 'wearable', 'embedded', 'xr']
const OS = [
  { value: 'android', label: 'Android' },
  { value: 'ios', label: 'iOS' },
  { value: 'windows', label: 'Windows' },
  { value: 'macos', label: 'macOS' },
  { value: 'linux', label: 'Linux' },
  { value: 'chromeos', label: 'ChromeOS' },
  { value: 'other', label: 'Other' },
]
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].map(
  (label, index) => ({ value: String(index + 1), label }),
)
const METRICS = [
  { value: 'clicks', label: 'Clicks' },
  { value: 'conversions', label: 'Conversions' },
  { value: 'payout', label: 'Payout' },
]
const PERIODS = [
  { value: 'day', label: 'Per day' },
  { value: 'week', label: 'Per week' },
  { value: 'month', label: 'Per month' },
  { value: 'total', label: 'In total' },
]

let nextRow = 0

export function targetingValues(offer: Offer | undefined): TargetingValues {
  const targeting = offer?.targeting ?? {}
  const sides = (lists?: { allow?: string[]; block?: string[] }) => ({
    allow: lists?.allow ?? [],
    block: lists?.block ?? [],
  })
  return {
    time_zone: offer?.time_zone ?? 'UTC',
    targeting: {
      countries: sides(targeting.countries),
      devices: sides(targeting.devices),
      os: sides(targeting.os),
      schedule: (targeting.schedule ?? []).map((window) => ({
        row: nextRow++,
        days: window.days.map(String),
        from: window.from,
        to: window.to,
      })),
    },
    caps: (offer?.caps ?? []).map((cap) => ({
      row: nextRow++,
      metric: cap.metric,
      period: cap.period,
      limit: String(cap.limit),
      affiliate_id: cap.affiliate_id ?? '',
    })),
  }
}

/** The API's `targeting` and `caps` from the form: empty lists are left out, no parts is null. */
export function targetingBody(values: TargetingValues): {
  time_zone: string
  targeting: TargetingInput | null
  caps: CapInput[]
} {
  const { countries, devices, os, schedule } = values.targeting
  const targeting: Record<string, unknown> = {}
  const sides = (name: string, lists: { allow: string[]; block: string[] }) => {
    const part: Record<string, string[]> = {}
    if (lists.allow.length > 0) part.allow = lists.allow
    if (lists.block.length > 0) part.block = lists.block
    if (Object.keys(part).length > 0) targeting[name] = part
  }
  sides('countries', { allow: countries.allow.map(upper), block: countries.block.map(upper) })
  sides('devices', devices)
  sides('os', os)
  if (schedule.length > 0) {
    targeting.schedule = schedule.map(({ days, from, to }) => ({
      days: days.map(Number),
      from,
      to,
    }))
  }
  return {
    time_zone: values.time_zone.trim() || 'UTC',
    targeting: Object.keys(targeting).length > 0 ? (targeting as TargetingInput) : null,
    caps: values.caps.map(
      (cap): CapInput => ({
        metric: cap.metric as CapInput['metric'],
        period: cap.period as CapInput['period'],
        limit: cap.limit,
        affiliate_id: cap.affiliate_id.trim() || null,
      }),
    ),
  }
}

const upper = (code: string) => code.trim().toUpperCase()

/** Who may click (countries, devices, OS, a weekly schedule) and the offer's caps. */
export function TargetingFields<V extends TargetingValues>({
  form,
}: {
  form: UseFormReturnType<V>
}) {
  const f = form as unknown as UseFormReturnType<TargetingValues>
  const { schedule } = f.getValues().targeting
  const caps = f.getValues().caps
  return (
    <Stack gap="sm">
      <Fieldset legend="Targeting">
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            Clicks outside the targeting go to the fallback URL (or get a 404) and count as blocked
            clicks. Leave a list empty to allow everyone.
          </Text>
          <TextInput
            label="Time zone"
            description="IANA name, such as Europe/Berlin: the schedule and cap periods use it."
            {...f.getInputProps('time_zone')}
          />
          <Group grow align="flex-start">
            <TagsInput
              label="Allowed countries"
              description="ISO codes such as US, GB"
              {...f.getInputProps('targeting.countries.allow')}
            />
            <TagsInput
              label="Blocked countries"
              {...f.getInputProps('targeting.countries.block')}
            />
          </Group>
          <Group grow align="flex-start">
            <MultiSelect
              label="Allowed devices"
              data={DEVICES}
              {...f.getInputProps('targeting.devices.allow')}
            />
            <MultiSelect
              label="Blocked devices"
              data={DEVICES}
              {...f.getInputProps('targeting.devices.block')}
            />
          </Group>
          <Group grow align="flex-start">
            <MultiSelect label="Allowed OS" data={OS} {...f.getInputProps('targeting.os.allow')} />
            <MultiSelect label="Blocked OS" data={OS} {...f.getInputProps('targeting.os.block')} />
          </Group>
          {schedule.map((window, index) => (
            <Group key={window.row} grow align="flex-end">
              <MultiSelect
                label={`Schedule ${index + 1} days`}
                data={DAYS}
                {...f.getInputProps(`targeting.schedule.${index}.days`)}
              />
              <TextInput
                label={`Schedule ${index + 1} from`}
                placeholder="09:00"
                {...f.getInputProps(`targeting.schedule.${index}.from`)}
              />
              <TextInput
                label={`Schedule ${index + 1} to`}
                placeholder="17:00"
                {...f.getInputProps(`targeting.schedule.${index}.to`)}
              />
              <Button
                variant="subtle"
                color="red"
                aria-label={`Remove schedule ${index + 1}`}
                onClick={() => f.removeListItem('targeting.schedule', index)}
              >
                Remove
              </Button>
            </Group>
          ))}
          <Group>
            <Button
              variant="light"
              onClick={() =>
                f.insertListItem('targeting.schedule', {
                  row: nextRow++,
                  days: ['1', '2', '3', '4', '5'],
                  from: '09:00',
                  to: '17:00',
                })
              }
            >
              Add schedule window
            </Button>
          </Group>
        </Stack>
      </Fieldset>
      <Fieldset legend="Caps">
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            Past a click cap, clicks go to the fallback URL; past a conversion or payout cap,
            conversions are rejected. Periods are in the offer's time zone.
          </Text>
          {caps.map((cap, index) => (
            <Group key={cap.row} grow align="flex-end">
              <Select
                label={`Cap ${index + 1} metric`}
                data={METRICS}
                allowDeselect={false}
                {...f.getInputProps(`caps.${index}.metric`)}
              />
              <Select
                label={`Cap ${index + 1} period`}
                data={PERIODS}
                allowDeselect={false}
                {...f.getInputProps(`caps.${index}.period`)}
              />
              <TextInput
                label={`Cap ${index + 1} limit`}
                inputMode="decimal"
                {...f.getInputProps(`caps.${index}.limit`)}
              />
              <TextInput
                label={`Cap ${index + 1} affiliate id`}
                placeholder="every affiliate"
                {...f.getInputProps(`caps.${index}.affiliate_id`)}
              />
              <Button
                variant="subtle"
                color="red"
                aria-label={`Remove cap ${index + 1}`}
                onClick={() => f.removeListItem('caps', index)}
              >
                Remove
              </Button>
            </Group>
          ))}
          <Group>
            <Button
              variant="light"
              onClick={() =>
                f.insertListItem('caps', {
                  row: nextRow++,
                  metric: 'clicks',
                  period: 'day',
                  limit: '',
                  affiliate_id: '',
                })
              }
            >
              Add cap
            </Button>
          </Group>
        </Stack>
      </Fieldset>
    </Stack>
  )
}
