import { Button, Group, TextInput } from '@mantine/core'
import { Link } from '@tanstack/react-router'
import type { ReactNode } from 'react'

/** Above a list: a name search over the page shown, filters, and the "New …" link if allowed. */
export function ListToolbar({
  q,
  onSearch,
  searchLabel,
  newTo,
  newLabel,
  canCreate,
  children,
}: {
  q: string | undefined
  onSearch: (q: string | undefined) => void
  searchLabel: string
  newTo: '/offers/new' | '/advertisers/new' | '/affiliates/new' | '/postbacks/new'
  newLabel: string
  /** False for a role that may not create these: the link is not shown. */
  canCreate: boolean
  children?: ReactNode
}) {
  return (
    <Group justify="space-between" mb="md" align="flex-end">
      <Group align="flex-end">
        <TextInput
          label={searchLabel}
          type="search"
          defaultValue={q ?? ''}
          onChange={(event) => onSearch(event.currentTarget.value || undefined)}
        />
        {children}
      </Group>
      {canCreate && (
        <Button component={Link} to={newTo}>
          {newLabel}
        </Button>
      )}
    </Group>
  )
}

/** Rows whose name holds the search, ignoring case. */
export function matchingName<T extends { name: string }>(rows: T[], q: string | undefined): T[] {
  if (!q) return rows
  const needle = q.toLocaleLowerCase()
  return rows.filter((row) => row.name.toLocaleLowerCase().includes(needle))
}
