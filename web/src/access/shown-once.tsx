import { Alert, Button, CopyButton, Group, Text, TextInput } from '@mantine/core'

/**
 * A one-time secret the server shows once (an invite link, a new key): a read-only field named
 * `label`, to select or copy.
 */
export function ShownOnce({
  title,
  label,
  value,
  note,
}: {
  title: string
  label: string
  value: string
  note: string
}) {
  return (
    <Alert
      color="teal"
      title={title}
      role="status"
      mb="md"
      maw={800}
      styles={{ title: { color: 'var(--mantine-color-text)' } }}
    >
      <Text size="sm" mb="xs">
        {note}
      </Text>
      <Group wrap="nowrap" align="flex-end">
        <TextInput
          label={label}
          value={value}
          readOnly
          style={{ flex: 1 }}
          styles={{ input: { fontFamily: 'monospace' } }}
          onFocus={(event) => event.currentTarget.select()}
        />
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button variant="light" onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Alert>
  )
}
