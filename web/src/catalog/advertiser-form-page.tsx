import { Checkbox, Loader, Stack, Textarea, TextInput } from '@mantine/core'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { getRouteApi, useNavigate } from '@tanstack/react-router'
import { may } from '../access/may.ts'
import { useSession } from '../access/session.ts'
import type { Advertiser } from '../api/api-types.ts'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { FormFrame } from '../shared/form-frame.tsx'
import { useApiForm } from '../shared/use-api-form.ts'
import { PageTitle } from '../shell/app-shell.tsx'
import { advertiserQuery, saveAdvertiser } from './catalog-queries.ts'
import { PostbackUrlBuilder } from './postback-url-builder.tsx'

const editRoute = getRouteApi('/app/advertisers/$id')

export function NewAdvertiserPage() {
  return (
    <>
      <PageTitle>New advertiser</PageTitle>
      <AdvertiserForm />
    </>
  )
}

export function EditAdvertiserPage() {
  const { id } = editRoute.useParams()
  const advertiser = useQuery(advertiserQuery(id))
  return (
    <>
      <PageTitle>Edit advertiser</PageTitle>
      <ErrorAlert error={advertiser.error} title="Could not load the advertiser" />
      {advertiser.isPending && <Loader aria-label="Loading" />}
      {advertiser.data && (
        <Stack>
          <AdvertiserForm advertiser={advertiser.data} />
          <PostbackUrlBuilder advertiser={advertiser.data} />
        </Stack>
      )}
    </>
  )
}

function AdvertiserForm({ advertiser }: { advertiser?: Advertiser }) {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const session = useSession()
  const { form, onSubmit, error, busy } = useApiForm({
    initialValues: {
      name: advertiser?.name ?? '',
      postback_ip_allowlist: advertiser?.postback_ip_allowlist.join('\n') ?? '',
      regenerate_postback_token: false,
    },
    validate: { name: (name) => (name.trim() === '' ? 'is required' : null) },
    save: ({ name, postback_ip_allowlist, regenerate_postback_token }) =>
      saveAdvertiser(advertiser?.id, {
        name,
        postback_ip_allowlist: postback_ip_allowlist.split(/\s+/).filter(Boolean),
        ...(advertiser ? { regenerate_postback_token } : {}),
      }),
    saved: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['advertisers'] })
      await navigate({ to: '/advertisers/$id', params: { id: saved.id } })
    },
    message: advertiser ? 'Advertiser saved' : 'Advertiser created',
  })
  return (
    <FormFrame
      label={advertiser ? 'Edit advertiser' : 'New advertiser'}
      onSubmit={onSubmit}
      error={error}
      busy={busy}
      submit={advertiser ? 'Save advertiser' : 'Create advertiser'}
      allowed={may(
        session,
        advertiser ? 'PATCH /api/v1/advertisers/:id' : 'POST /api/v1/advertisers',
      )}
    >
      <TextInput label="Name" withAsterisk {...form.getInputProps('name')} />
      <Textarea
        label="Postback IP allowlist"
        description="Addresses or CIDR ranges, one per line. Empty: postbacks from any address."
        autosize
        minRows={2}
        {...form.getInputProps('postback_ip_allowlist')}
      />
      {advertiser && (
        <Checkbox
          label="Regenerate the postback token (the old one stops working)"
          {...form.getInputProps('regenerate_postback_token', { type: 'checkbox' })}
        />
      )}
    </FormFrame>
  )
}
