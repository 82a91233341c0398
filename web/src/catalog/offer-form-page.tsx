import { Group, Loader, NumberInput, Select, Stack, TextInput } from '@mantine/core'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { getRouteApi, useNavigate } from '@tanstack/react-router'
import { may } from '../access/may.ts'
import { useSession } from '../access/session.ts'
import type { Offer } from '../api/api-types.ts'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { FormFrame } from '../shared/form-frame.tsx'
import { useApiForm } from '../shared/use-api-form.ts'
import { PageTitle } from '../shell/app-shell.tsx'
import { AffiliatePayouts } from './affiliate-payouts.tsx'
import { advertisersQuery, offerQuery, saveOffer } from './catalog-queries.ts'
import { GoalFields, goalValues, REVENUE_TYPES } from './goal-fields.tsx'
import { OfferCapsPanel } from './offer-caps-panel.tsx'
import { TargetingFields, targetingBody, targetingValues } from './targeting-fields.tsx'
import { TrackingLinkBuilder } from './tracking-link-builder.tsx'

const editRoute = getRouteApi('/app/offers/$id')
const VISIBILITIES = [
  { value: 'public', label: 'Public' },
  { value: 'approval', label: 'Approval' },
  { value: 'private', label: 'Private' },
]
const RATE_TYPES = [
  { value: 'fixed', label: 'Fixed amount' },
  { value: 'percent', label: 'Percent of the sale' },
]

export function NewOfferPage() {
  return (
    <>
      <PageTitle>New offer</PageTitle>
      <OfferForm />
    </>
  )
}

export function EditOfferPage() {
  const { id } = editRoute.useParams()
  const offer = useQuery(offerQuery(id))
  const session = useSession()
  return (
    <>
      <PageTitle>Edit offer</PageTitle>
      <ErrorAlert error={offer.error} title="Could not load the offer" />
      {offer.isPending && <Loader aria-label="Loading" />}
      {offer.data && (
        <Stack>
          <OfferForm offer={offer.data} />
          <TrackingLinkBuilder offer={offer.data} />
          <AffiliatePayouts offer={offer.data} />
          {may(session, 'GET /api/v1/offers/:id/caps') && <OfferCapsPanel offerId={id} />}
        </Stack>
      )}
    </>
  )
}

function OfferForm({ offer }: { offer?: Offer }) {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  // The first page of advertisers fills the choice; a network with more picks by id in the URL.
  const advertisers = useQuery(advertisersQuery())
  const session = useSession()
  const { form, onSubmit, error, busy } = useApiForm({
    initialValues: {
      advertiser_id: offer?.advertiser_id ?? '',
      name: offer?.name ?? '',
      destination_url: offer?.destination_url ?? '',
      fallback_url: offer?.fallback_url ?? '',
      status: offer?.status ?? 'active',
      visibility: offer?.visibility ?? 'public',
      currency: offer?.currency ?? 'USD',
      revenue: String(offer?.revenue ?? ''),
      revenue_type: offer?.revenue_type ?? 'fixed',
      payout: String(offer?.payout ?? ''),
      payout_type: offer?.payout_type ?? 'fixed',
      conversion_window_days: offer?.conversion_window_days ?? 30,
      goals: goalValues(offer),
      ...targetingValues(offer),
    },
    validate: {
      advertiser_id: (value) => (value ? null : 'is required'),
      name: (value) => (value.trim() ? null : 'is required'),
      destination_url: (value) => (value.trim() ? null : 'is required'),
      revenue: (value) => (value.trim() ? null : 'is required'),
      payout: (value) => (value.trim() ? null : 'is required'),
    },
    save: (values) =>
      saveOffer(offer?.id, {
        ...values,
        ...targetingBody(values),
        fallback_url: values.fallback_url.trim() || null,
        conversion_window_days: Number(values.conversion_window_days),
        // The list replaces the offer's whole set of goals; an empty name means the key.
        goals: values.goals.map(({ row: _row, name, ...goal }) =>
          name.trim() ? { ...goal, name } : goal,
        ),
      }),
    saved: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['offers'] })
      await navigate({ to: '/offers/$id', params: { id: saved.id } })
    },
    message: offer ? 'Offer saved' : 'Offer created',
  })
  const advertiserChoices = (advertisers.data?.data ?? []).map((a) => ({
    value: a.id,
    label: a.name,
  }))

  return (
    <FormFrame
      label={offer ? 'Edit offer' : 'New offer'}
      onSubmit={onSubmit}
      error={error}
      busy={busy}
      submit={offer ? 'Save offer' : 'Create offer'}
      allowed={may(session, offer ? 'PATCH /api/v1/offers/:id' : 'POST /api/v1/offers')}
    >
      <Select
        label="Advertiser"
        withAsterisk
        searchable
        data={advertiserChoices}
        nothingFoundMessage="No advertiser by that name"
        {...form.getInputProps('advertiser_id')}
      />
      <TextInput label="Name" withAsterisk {...form.getInputProps('name')} />
      <TextInput
        label="Destination URL"
        description="Where a click goes; may use {click_id}, {sub1}…{sub5}, {source}, {country}."
        withAsterisk
        {...form.getInputProps('destination_url')}
      />
      <TextInput
        label="Fallback URL"
        description="Where a click goes when the offer or affiliate is paused, or the click is blocked by targeting, a blocklist or a cap. Optional."
        {...form.getInputProps('fallback_url')}
      />
      <Select
        label="Visibility"
        description="Public: every affiliate runs it. Approval: affiliates ask, a manager decides (Access requests). Private: only affiliates granted it."
        data={VISIBILITIES}
        allowDeselect={false}
        {...form.getInputProps('visibility')}
      />
      <Group grow>
        <Select
          label="Status"
          data={['active', 'paused']}
          allowDeselect={false}
          {...form.getInputProps('status')}
        />
        <TextInput label="Currency" {...form.getInputProps('currency')} />
      </Group>
      <Group grow>
        <TextInput
          label="Revenue"
          inputMode="decimal"
          withAsterisk
          {...form.getInputProps('revenue')}
        />
        <Select
          label="Revenue type"
          data={REVENUE_TYPES}
          allowDeselect={false}
          {...form.getInputProps('revenue_type')}
        />
      </Group>
      <Group grow>
        <TextInput
          label="Payout"
          inputMode="decimal"
          withAsterisk
          {...form.getInputProps('payout')}
        />
        <Select
          label="Payout type"
          data={RATE_TYPES}
          allowDeselect={false}
          {...form.getInputProps('payout_type')}
        />
      </Group>
      <NumberInput
        label="Conversion window (days)"
        min={1}
        max={3650}
        {...form.getInputProps('conversion_window_days')}
      />
      <GoalFields form={form} />
      <TargetingFields form={form} />
    </FormFrame>
  )
}
