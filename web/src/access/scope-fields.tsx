import { Select } from '@mantine/core'
import type { UseFormReturnType } from '@mantine/form'
import { useQuery } from '@tanstack/react-query'
import { advertisersQuery, affiliatesQuery } from '../catalog/catalog-queries.ts'
import { ROLE_CHOICES } from './roles.ts'

export interface ScopeValues {
  role: string
  affiliate_id: string
  advertiser_id: string
}

/**
 * A role, and the affiliate or advertiser it belongs to when the role is one of theirs. The
 * choices are the first page of each list; the API's error names a missing one.
 */
export function ScopeFields({
  form,
  roleLabel = 'Role',
  optional = false,
}: {
  form: UseFormReturnType<ScopeValues>
  roleLabel?: string
  optional?: boolean
}) {
  const role = form.getValues().role
  const affiliates = useQuery({ ...affiliatesQuery({}), enabled: role === 'affiliate' })
  const advertisers = useQuery({ ...advertisersQuery(), enabled: role === 'advertiser' })
  return (
    <>
      <Select
        label={roleLabel}
        withAsterisk={!optional}
        clearable={optional}
        placeholder={optional ? 'The same as mine' : undefined}
        data={ROLE_CHOICES}
        {...form.getInputProps('role')}
        onChange={(value) => form.setFieldValue('role', value ?? '')}
      />
      {role === 'affiliate' && (
        <Select
          label="Affiliate"
          withAsterisk
          searchable
          data={(affiliates.data?.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
          {...form.getInputProps('affiliate_id')}
          onChange={(value) => form.setFieldValue('affiliate_id', value ?? '')}
        />
      )}
      {role === 'advertiser' && (
        <Select
          label="Advertiser"
          withAsterisk
          searchable
          data={(advertisers.data?.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
          {...form.getInputProps('advertiser_id')}
          onChange={(value) => form.setFieldValue('advertiser_id', value ?? '')}
        />
      )}
    </>
  )
}

/** The scope part of a request body: the role, and the one id it needs. */
export function scopeOf(values: ScopeValues) {
  return {
    ...(values.role === 'affiliate' ? { affiliate_id: values.affiliate_id } : {}),
    ...(values.role === 'advertiser' ? { advertiser_id: values.advertiser_id } : {}),
  }
}
