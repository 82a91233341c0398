import { Button, Group, TextInput } from '@mantine/core'
import { Link } from '@tanstack/react-router'
import type { ReactNode } from 'react'

/** Above a list: a name search over the page shown, filters, and the "New …" link. */
export function ListToolbar({
  q,
  onSearch,
  searchLabel,
  newTo,
  newLabel,
  children,
}: {
  q: string | undefined
  onSearch: (q: string | undefined) => void
  searchLabel: string
  newTo: '/offers/new' | '/advertisers/new' | '/affiliates/new'
  newLabel: string
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
      <Button component={Link} to={newTo}>
        {newLabel}
      </Button>
    </Group>
  )
}

/** Rows whose name holds the search, ignoring case. */
export function matchingName<T extends { name: string }>(rows: T[], q: string | undefined): T[] {
  if (!q) return rows
  const needle = q.toLocaleLowerCase()
  return rows.filter((row) => row.name.toLocaleLowerCase().includes(needle))
}
