import { Button, Group } from '@mantine/core'

/**
 * Cursor pagination: the API gives the next page's cursor only, so the way back is the first
 * page (or the browser's Back, since each page is its own URL).
 */
export function NextPage({
  cursor,
  nextCursor,
  onPage,
}: {
  cursor: string | undefined
  nextCursor: string | null | undefined
  onPage: (cursor: string | undefined) => void
}) {
  if (!cursor && !nextCursor) return null
  return (
    <Group justify="flex-end" mt="md">
      <Button variant="default" disabled={!cursor} onClick={() => onPage(undefined)}>
        First page
      </Button>
      <Button
        variant="default"
        disabled={!nextCursor}
        onClick={() => onPage(nextCursor ?? undefined)}
      >
        Next page
      </Button>
    </Group>
  )
}
