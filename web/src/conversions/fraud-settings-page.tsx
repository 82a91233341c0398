import { Group, Loader, NumberInput, Select, Text } from '@mantine/core'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { may } from '../access/may.ts'
import { useSession } from '../access/session.ts'
import { dataOrThrow } from '../api/api-error.ts'
import type { FraudRules } from '../api/api-types.ts'
import { api } from '../api/client.ts'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { FormFrame } from '../shared/form-frame.tsx'
import { useApiForm } from '../shared/use-api-form.ts'
import { PageTitle } from '../shell/app-shell.tsx'

type Rules = FraudRules
type Action = 'off' | 'allow' | 'hold' | 'reject'
type Per = 'hour' | 'day'

const ACTIONS = [
  { value: 'off', label: 'Off' },
  { value: 'allow', label: 'Allow (flag only)' },
  { value: 'hold', label: 'Hold for review' },
  { value: 'reject', label: 'Reject' },
]
const PERIODS = [
  { value: 'hour', label: 'per hour' },
  { value: 'day', label: 'per day' },
]

async function loadRules() {
  return dataOrThrow(await api.GET('/api/v1/settings/fraud'))
}

interface Values extends Record<string, unknown> {
  ctit: Action
  ctitValue: number
  bot: Action
  datacenter: Action
  country: Action
  ip: Action
  ipLimit: number
  ipPer: Per
  sub1: Action
  sub1Limit: number
  sub1Per: Per
}

function toValues(rules: Rules): Values {
  return {
    ctit: rules.min_ctit_seconds?.action ?? 'off',
    ctitValue: rules.min_ctit_seconds?.value ?? 10,
    bot: rules.bot_click?.action ?? 'off',
    datacenter: rules.datacenter_ip?.action ?? 'off',
    country: rules.country_mismatch?.action ?? 'off',
    ip: rules.max_conversions_per_ip?.action ?? 'off',
    ipLimit: rules.max_conversions_per_ip?.limit ?? 5,
    ipPer: rules.max_conversions_per_ip?.per ?? 'day',
    sub1: rules.max_conversions_per_sub1?.action ?? 'off',
    sub1Limit: rules.max_conversions_per_sub1?.limit ?? 20,
    sub1Per: rules.max_conversions_per_sub1?.per ?? 'day',
  }
}

function toRules(v: Values): FraudRules {
  const on = <T,>(action: Action, rule: (a: Exclude<Action, 'off'>) => T) =>
    action === 'off' ? undefined : rule(action)
  return {
    min_ctit_seconds: on(v.ctit, (action) => ({ value: v.ctitValue, action })),
    bot_click: on(v.bot, (action) => ({ action })),
    datacenter_ip: on(v.datacenter, (action) => ({ action })),
    country_mismatch: on(v.country, (action) => ({ action })),
    max_conversions_per_ip: on(v.ip, (action) => ({ limit: v.ipLimit, per: v.ipPer, action })),
    max_conversions_per_sub1: on(v.sub1, (action) => ({
      limit: v.sub1Limit,
      per: v.sub1Per,
      action,
    })),
  }
}

/** The network's fraud rules: what each new conversion is checked against, unless its offer says otherwise. */
export function FraudSettingsPage() {
  const rules = useQuery({ queryKey: ['settings', 'fraud'], queryFn: loadRules })
  return (
    <>
      <PageTitle>Fraud rules</PageTitle>
      <Text mb="md" size="sm">
        Every new conversion is checked against these rules; an offer's own rules (its fraud field)
        replace them one by one. Held conversions wait in the review queue.
      </Text>
      <ErrorAlert error={rules.error} title="Could not load the fraud rules" />
      {rules.isPending && <Loader aria-label="Loading" />}
      {rules.data && <FraudForm rules={rules.data} />}
    </>
  )
}

function FraudForm({ rules }: { rules: Rules }) {
  const session = useSession()
  const queryClient = useQueryClient()
  const { form, onSubmit, error, busy } = useApiForm({
    initialValues: toValues(rules),
    save: async (values: Values) =>
      dataOrThrow(await api.PUT('/api/v1/settings/fraud', { body: toRules(values) })),
    saved: () => queryClient.invalidateQueries({ queryKey: ['settings', 'fraud'] }),
    message: 'Fraud rules saved',
  })
  const action = (key: keyof Values & string, label: string, description: string) => (
    <Select
      label={label}
      description={description}
      data={ACTIONS}
      allowDeselect={false}
      {...form.getInputProps(key)}
    />
  )
  const v = form.values
  return (
    <FormFrame
      label="Fraud rules"
      onSubmit={onSubmit}
      error={error}
      busy={busy}
      submit="Save rules"
      allowed={may(session, 'PUT /api/v1/settings/fraud')}
    >
      <Group align="flex-end" grow>
        {action(
          'ctit',
          'Too fast after the click',
          'Install hijacking converts seconds after the click',
        )}
        <NumberInput
          label="Minimum seconds"
          min={1}
          max={86400}
          disabled={v.ctit === 'off'}
          {...form.getInputProps('ctitValue')}
        />
      </Group>
      {action('bot', 'Click flagged as a bot', 'By its user agent, when the click was recorded')}
      {action(
        'datacenter',
        'Datacenter address',
        'The conversion (or click) address belongs to a hosting network',
      )}
      {action(
        'country',
        'Country mismatch',
        "The conversion's ip (when the advertiser sends it) is in another country than the click",
      )}
      <Group align="flex-end" grow>
        {action(
          'ip',
          'Conversions per address',
          'More than the limit from one address on an offer',
        )}
        <NumberInput
          label="Address limit"
          min={0}
          disabled={v.ip === 'off'}
          {...form.getInputProps('ipLimit')}
        />
        <Select
          label="Address period"
          data={PERIODS}
          allowDeselect={false}
          disabled={v.ip === 'off'}
          {...form.getInputProps('ipPer')}
        />
      </Group>
      <Group align="flex-end" grow>
        {action(
          'sub1',
          'Conversions per sub1',
          "More than the limit from one affiliate's sub1 on an offer",
        )}
        <NumberInput
          label="Sub1 limit"
          min={0}
          disabled={v.sub1 === 'off'}
          {...form.getInputProps('sub1Limit')}
        />
        <Select
          label="Sub1 period"
          data={PERIODS}
          allowDeselect={false}
          disabled={v.sub1 === 'off'}
          {...form.getInputProps('sub1Per')}
        />
      </Group>
    </FormFrame>
  )
}
