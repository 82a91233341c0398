import { Anchor, Text } from '@mantine/core'

/** Where a page not yet built points meanwhile: the API call that answers the same question. */
export function ComingNext({ call }: { call: string }) {
  return (
    <Text c="dimmed">
      This page is not built yet. Meanwhile the API answers it: <code>{call}</code>, described in
      the <Anchor href="/api/docs" underline="always">
        API reference
      </Anchor>.
    </Text>
  )
}
