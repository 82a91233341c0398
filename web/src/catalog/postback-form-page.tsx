import {
  Badge,
  Box,
  Button,
  Checkbox,
  Code,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { getRouteApi, useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { advertiserOf, affiliateOf, useSession } from '../access/session.ts'
import type { Endpoint, EndpointTest } from '../api/api-types.ts'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { FormFrame } from '../shared/form-frame.tsx'
import { useApiForm } from '../shared/use-api-form.ts'
import { PageTitle } from '../shell/app-shell.tsx'
import { advertisersQuery, affiliatesQuery, offersQuery } from './catalog-queries.ts'
import { HealthBadge, postbackHealth } from './postback-health.tsx'
import { type EndpointOwner, macroProblem, macrosFor } from './postback-macros.ts'
import {
  changePostback,
  createPostback,
  deletePostback,
  postbackQuery,
  testPostback,
} from './postback-queries.ts'
import { TRACKER_PRESETS } from './tracker-presets.ts'

const editRoute = getRouteApi('/app/postbacks/$id')
const STATUSES = ['approved', 'pending', 'rejected'] as const
type ConversionStatus = (typeof STATUSES)[number]

export function NewPostbackPage() {
  return (
    <>
      <PageTitle>New postback</PageTitle>
      <PostbackForm />
    </>
  )
}

export function EditPostbackPage() {
  const { id } = editRoute.useParams()
  const endpoint = useQuery(postbackQuery(id))
  return (
    <>
      <PageTitle>Edit postback</PageTitle>
      <ErrorAlert error={endpoint.error} title="Could not load the postback" />
      {endpoint.isPending && <Loader aria-label="Loading" />}
      {endpoint.data && (
        <Stack>
          <Health endpoint={endpoint.data} />
          <SendTest id={endpoint.data.id} />
          {endpoint.data.signing_secret && (
            <Box maw={640}>
              <Text size="sm" fw={600}>
                Signing secret (for the receiver to verify signatures)
              </Text>
              <Code block tabIndex={0}>
                {endpoint.data.signing_secret}
              </Code>
            </Box>
          )}
          <PostbackForm endpoint={endpoint.data} key={endpoint.data.updated_at} />
          <DeletePostback id={endpoint.data.id} />
        </Stack>
      )}
    </>
  )
}

/** The endpoint's health, and the way back for one disabled after failures or by hand. */
function Health({ endpoint }: { endpoint: Endpoint }) {
  const queryClient = useQueryClient()
  const enable = useMutation({
    mutationFn: () => changePostback(endpoint.id, { enabled: true }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['postbacks', endpoint.id], saved)
      return queryClient.invalidateQueries({ queryKey: ['postbacks'] })
    },
  })
  const health = postbackHealth(endpoint)
  return (
    <Paper withBorder p="md" maw={640} component="section" aria-labelledby="postback-health">
      <Group justify="space-between">
        <Group gap="xs">
          <Title order={2} size="h4" id="postback-health">
            Health
          </Title>
          <HealthBadge endpoint={endpoint} />
        </Group>
        {!endpoint.enabled && (
          <Button onClick={() => enable.mutate()} loading={enable.isPending}>
            Enable again
          </Button>
        )}
      </Group>
      <Text size="sm" mt="xs">
        {health.detail}
      </Text>
      <ErrorAlert error={enable.error} title="Not enabled" />
    </Paper>
  )
}

/** Deleting asks once more: the endpoint's pending deliveries are cancelled with it. */
function DeletePostback({ id }: { id: string }) {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const [confirming, setConfirming] = useState(false)
  const remove = useMutation({
    mutationFn: () => deletePostback(id),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ['postbacks', id] })
      await queryClient.invalidateQueries({ queryKey: ['postbacks'] })
      await navigate({ to: '/postbacks' })
    },
  })
  return (
    <Paper withBorder p="md" maw={640} component="section" aria-labelledby="postback-delete">
      <Title order={2} size="h4" id="postback-delete" mb="xs">
        Delete
      </Title>
      <ErrorAlert error={remove.error} title="Not deleted" />
      {confirming ? (
        <Stack gap="xs">
          <Text size="sm">
            It gets no new deliveries and its pending ones are cancelled; its past deliveries stay
            listed.
          </Text>
          <Group>
            <Button color="red.8" onClick={() => remove.mutate()} loading={remove.isPending}>
              Delete for good
            </Button>
            <Button variant="default" onClick={() => setConfirming(false)}>
              Keep it
            </Button>
          </Group>
        </Stack>
      ) : (
        <Button variant="default" onClick={() => setConfirming(true)}>
          Delete postback
        </Button>
      )}
    </Paper>
  )
}

/** "Send test": one made-up conversion sent now; what went out and what came back. */
function SendTest({ id }: { id: string }) {
  const test = useMutation({ mutationFn: () => testPostback(id) })
  return (
    <Paper withBorder p="md" maw={640} component="section" aria-labelledby="postback-test">
      <Group justify="space-between">
        <Title order={2} size="h4" id="postback-test">
          Test
        </Title>
        <Button variant="default" onClick={() => test.mutate()} loading={test.isPending}>
          Send test
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mt="xs">
        Sends a made-up conversion now, outside the delivery queue.
      </Text>
      <ErrorAlert error={test.error} title="Test not sent" />
      {test.data && <TestResult result={test.data} />}
    </Paper>
  )
}

function TestResult({ result }: { result: EndpointTest }) {
  const { request, response } = result
  return (
    <Stack mt="md" gap="sm" role="region" aria-label="Test result">
      <Text fw={600} size="sm">
        Request
      </Text>
      <Code block style={{ wordBreak: 'break-all' }}>
        {`${request.method} ${request.url}`}
        {Object.entries(request.headers).map(([name, value]) => `\n${name}: ${value}`)}
        {request.body ? `\n\n${request.body}` : ''}
      </Code>
      <Group gap="xs">
        <Text fw={600} size="sm">
          Answer
        </Text>
        <Badge color={response.outcome === 'delivered' ? 'teal.9' : 'red.9'}>
          {response.outcome}
        </Badge>
        <Text size="sm">
          {response.status_code === null ? 'no status' : `status ${response.status_code}`} in{' '}
          {response.duration_ms} ms
        </Text>
      </Group>
      {response.error && <Text size="sm">{response.error}</Text>}
      {(response.body || Object.keys(response.headers).length > 0) && (
        <Code block style={{ wordBreak: 'break-all' }}>
          {Object.entries(response.headers)
            .map(([name, value]) => `${name}: ${value}`)
            .join('\n')}
          {response.body ? `\n\n${response.body}` : ''}
        </Code>
      )}
    </Stack>
  )
}

function PostbackForm({ endpoint }: { endpoint?: Endpoint }) {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const session = useSession()
  const ownAffiliate = affiliateOf(session)
  const ownAdvertiser = advertiserOf(session)
  // An affiliate's or advertiser's people make endpoints for themselves; staff pick the owner.
  const scoped = Boolean(ownAffiliate || ownAdvertiser)
  const affiliates = useQuery({ ...affiliatesQuery({}), enabled: !scoped })
  const advertisers = useQuery({ ...advertisersQuery(undefined), enabled: !scoped })
  const offers = useQuery(offersQuery({}))
  // Where a macro button puts its macro: the template field used last.
  const [target, setTarget] = useState<'url' | 'body_template'>('url')
  const { form, onSubmit, error, busy } = useApiForm({
    initialValues: {
      owner: (endpoint?.owner ?? (ownAdvertiser ? 'advertiser' : 'affiliate')) as EndpointOwner,
      affiliate_id: endpoint?.affiliate_id ?? ownAffiliate ?? '',
      advertiser_id: endpoint?.advertiser_id ?? ownAdvertiser ?? '',
      offer_id: endpoint?.offer_id ?? '',
      method: endpoint?.method ?? 'GET',
      url: endpoint?.url ?? '',
      body_template: endpoint?.body_template ?? '',
      content_type: endpoint?.content_type ?? '',
      statuses: [...(endpoint?.statuses ?? ['approved'])] as string[],
      sign: endpoint?.sign ?? false,
    },
    validate: {
      affiliate_id: (id, all) => (all.owner !== 'affiliate' || id ? null : 'is required'),
      advertiser_id: (id, all) => (all.owner !== 'advertiser' || id ? null : 'is required'),
      url: (url, all) => (url.trim() === '' ? 'is required' : macroProblem(url, all.owner)),
      body_template: (body, all) => macroProblem(body, all.owner),
      statuses: (statuses) => (statuses.length === 0 ? 'choose at least one' : null),
    },
    save: (values) => {
      const post = values.method === 'POST'
      const body = {
        url: values.url.trim(),
        offer_id: values.offer_id || null,
        method: values.method === 'POST' ? ('POST' as const) : ('GET' as const),
        body_template: post && values.body_template ? values.body_template : null,
        content_type: post && values.content_type ? values.content_type : null,
        statuses: values.statuses.filter((s): s is ConversionStatus =>
          STATUSES.includes(s as ConversionStatus),
        ),
        sign: values.sign,
      }
      return endpoint
        ? changePostback(endpoint.id, body)
        : createPostback({
            ...body,
            affiliate_id: values.owner === 'affiliate' ? values.affiliate_id : null,
            advertiser_id: values.owner === 'advertiser' ? values.advertiser_id : null,
          })
    },
    saved: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['postbacks'] })
      await navigate({ to: '/postbacks/$id', params: { id: saved.id } })
    },
    message: endpoint ? 'Postback saved' : 'Postback created',
  })
  const values = form.getValues()
  const insert = (macro: string) => {
    const field = target === 'body_template' && values.method === 'POST' ? target : 'url'
    form.setFieldValue(field, `${values[field]}{${macro}}`)
  }

  return (
    <FormFrame
      label={endpoint ? 'Edit postback' : 'New postback'}
      onSubmit={onSubmit}
      error={error}
      busy={busy}
      submit={endpoint ? 'Save postback' : 'Create postback'}
    >
      {!scoped && (
        <Select
          label="Belongs to"
          description="An affiliate's fires for its conversions, an advertiser's for its offers' ({revenue}, no {payout}), the network's for every conversion."
          allowDeselect={false}
          disabled={Boolean(endpoint)}
          data={[
            { value: 'affiliate', label: 'An affiliate' },
            { value: 'advertiser', label: 'An advertiser' },
            { value: 'network', label: 'The network' },
          ]}
          {...form.getInputProps('owner')}
        />
      )}
      {!scoped && values.owner === 'affiliate' && (
        <Select
          label="Affiliate"
          withAsterisk
          searchable
          disabled={Boolean(endpoint)}
          data={(affiliates.data?.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
          {...form.getInputProps('affiliate_id')}
        />
      )}
      {!scoped && values.owner === 'advertiser' && (
        <Select
          label="Advertiser"
          withAsterisk
          searchable
          disabled={Boolean(endpoint)}
          data={(advertisers.data?.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
          {...form.getInputProps('advertiser_id')}
        />
      )}
      <Select
        label="Offer"
        placeholder="Every offer"
        clearable
        searchable
        data={(offers.data?.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
        {...form.getInputProps('offer_id')}
        // No offer is null to the select: an empty string would show a clear button on nothing.
        value={values.offer_id || null}
        onChange={(id) => form.setFieldValue('offer_id', id ?? '')}
      />
      <Select
        label="Tracker preset"
        description="Fills the URL with that tracker's parameter names; replace the capitalised parts."
        placeholder="Choose your tracker"
        data={TRACKER_PRESETS.map(({ value, label }) => ({ value, label }))}
        value={null}
        onChange={(value) => {
          const preset = TRACKER_PRESETS.find((p) => p.value === value)
          if (!preset) return
          form.setFieldValue('method', 'GET')
          form.setFieldValue('url', preset.url)
        }}
      />
      <Select
        label="Method"
        data={['GET', 'POST']}
        allowDeselect={false}
        {...form.getInputProps('method')}
      />
      <TextInput
        label="URL"
        withAsterisk
        description="Called for each conversion; macros in braces are filled in."
        {...form.getInputProps('url')}
        error={form.errors.url ?? macroProblem(values.url, values.owner)}
        onFocus={() => setTarget('url')}
      />
      {values.method === 'POST' && (
        <>
          <Textarea
            label="Body template"
            description="Empty: every macro as one JSON object."
            autosize
            minRows={3}
            {...form.getInputProps('body_template')}
            error={form.errors.body_template ?? macroProblem(values.body_template, values.owner)}
            onFocus={() => setTarget('body_template')}
          />
          <TextInput
            label="Content type"
            placeholder="application/json"
            {...form.getInputProps('content_type')}
          />
        </>
      )}
      <Paper withBorder p="sm" component="section" aria-labelledby="postback-macros">
        <Text size="sm" fw={600} id="postback-macros">
          Macros
        </Text>
        <Text size="xs" c="dimmed" mb="xs">
          Click one to add it to the {target === 'body_template' ? 'body template' : 'URL'}.
        </Text>
        <Group gap={6}>
          {macrosFor(values.owner).map((macro) => (
            <Button
              key={macro}
              size="compact-xs"
              variant="default"
              ff="monospace"
              onClick={() => insert(macro)}
            >
              {`{${macro}}`}
            </Button>
          ))}
        </Group>
      </Paper>
      <Checkbox.Group label="Statuses to report" withAsterisk {...form.getInputProps('statuses')}>
        <Group mt="xs">
          {STATUSES.map((status) => (
            <Checkbox key={status} value={status} label={status} />
          ))}
        </Group>
      </Checkbox.Group>
      <Checkbox
        label="Sign each request (Standard Webhooks)"
        {...form.getInputProps('sign', { type: 'checkbox' })}
      />
    </FormFrame>
  )
}
