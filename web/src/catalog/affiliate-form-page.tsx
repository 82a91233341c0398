import { Alert, Button, Code, Group, Loader, Select, TextInput } from '@mantine/core'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { may } from '../access/may.ts'
import { useSession } from '../access/session.ts'
import type { Affiliate } from '../api/api-types.ts'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { FormFrame } from '../shared/form-frame.tsx'
import { useApiForm } from '../shared/use-api-form.ts'
import { PageTitle } from '../shell/app-shell.tsx'
import { affiliateQuery, saveAffiliate } from './catalog-queries.ts'

const editRoute = getRouteApi('/app/affiliates/$id')

export function NewAffiliatePage() {
  // The key is answered once, to the create call: shown here until the page is left.
  const [created, setCreated] = useState<{ id: string; api_key: string }>()
  return (
    <>
      <PageTitle>New affiliate</PageTitle>
      {created ? (
        <Alert variant="outline" color="teal.9" title="Affiliate created" role="status">
          Affiliate id {created.id}. Its API key, shown this once: <Code>{created.api_key}</Code>
          <Group mt="sm">
            <Button component={Link} to="/affiliates" variant="default" size="compact-sm">
              Back to affiliates
            </Button>
            <Button component={Link} to="/offers" variant="default" size="compact-sm">
              Offers to give them
            </Button>
          </Group>
        </Alert>
      ) : (
        <AffiliateForm onCreated={setCreated} />
      )}
    </>
  )
}

export function EditAffiliatePage() {
  const { id } = editRoute.useParams()
  const affiliate = useQuery(affiliateQuery(id))
  return (
    <>
      <PageTitle>Edit affiliate</PageTitle>
      <ErrorAlert error={affiliate.error} title="Could not load the affiliate" />
      {affiliate.isPending && <Loader aria-label="Loading" />}
      {affiliate.data && <AffiliateForm affiliate={affiliate.data} />}
    </>
  )
}

function AffiliateForm({
  affiliate,
  onCreated,
}: {
  affiliate?: Affiliate
  onCreated?: (created: { id: string; api_key: string }) => void
}) {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const session = useSession()
  const { form, onSubmit, error, busy } = useApiForm({
    initialValues: { name: affiliate?.name ?? '', status: affiliate?.status ?? 'active' },
    validate: { name: (name) => (name.trim() ? null : 'is required') },
    save: (values) => saveAffiliate(affiliate?.id, values),
    saved: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['affiliates'] })
      if ('api_key' in saved && typeof saved.api_key === 'string') {
        onCreated?.({ id: saved.id, api_key: saved.api_key })
      } else {
        await navigate({ to: '/affiliates', search: {} })
      }
    },
    message: affiliate ? 'Affiliate saved' : 'Affiliate created',
  })
  return (
    <FormFrame
      label={affiliate ? 'Edit affiliate' : 'New affiliate'}
      onSubmit={onSubmit}
      error={error}
      busy={busy}
      submit={affiliate ? 'Save affiliate' : 'Create affiliate'}
      allowed={may(session, affiliate ? 'PATCH /api/v1/affiliates/:id' : 'POST /api/v1/affiliates')}
    >
      <TextInput label="Name" withAsterisk {...form.getInputProps('name')} />
      <Select
        label="Status"
        data={['active', 'paused']}
        allowDeselect={false}
        {...form.getInputProps('status')}
      />
    </FormFrame>
  )
}
