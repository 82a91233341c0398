import {
  Alert,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import type { Advertiser } from '../api/api-types.ts'
import {
  POSTBACK_PARAMETERS,
  type PostbackParameter,
  postbackBase,
  postbackUrl,
  postbackVerdict,
} from './postback-url.ts'

type Choice = { on: boolean; macro: string }

/**
 * The advertiser's postback URL as they should fire it: choose the parameters and the macro
 * their platform uses for each, copy the exact URL. With the token in hand, a test conversion
 * against a real click shows what the server makes of it.
 */
export function PostbackUrlBuilder({ advertiser }: { advertiser: Advertiser }) {
  const token = advertiser.postback_token
  const [choices, setChoices] = useState<Record<PostbackParameter, Choice>>(
    () =>
      Object.fromEntries(
        POSTBACK_PARAMETERS.map(({ name }) => [
          name,
          { on: name !== 'currency', macro: `{${name}}` },
        ]),
      ) as Record<PostbackParameter, Choice>,
  )
  const base = postbackBase(advertiser.postback_url, window.location.origin)
  const chosen = POSTBACK_PARAMETERS.filter(({ name }) => choices[name].on).map(({ name }) => ({
    name,
    macro: choices[name].macro,
  }))
  const url = postbackUrl(base, token, chosen)
  const set = (name: PostbackParameter, change: Partial<Choice>) =>
    setChoices((current) => ({ ...current, [name]: { ...current[name], ...change } }))

  return (
    <Paper withBorder p="lg" maw={900} component="section" aria-labelledby="postback-builder-title">
      <Title order={2} size="h4" id="postback-builder-title" mb="xs">
        Postback URL builder
      </Title>
      <Stack>
        <Table aria-label="Postback parameters" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Send</Table.Th>
              <Table.Th>Parameter</Table.Th>
              <Table.Th>Macro of the advertiser's platform</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {POSTBACK_PARAMETERS.map(({ name, label, required }) => (
              <Table.Tr key={name}>
                <Table.Td>
                  <Checkbox
                    aria-label={`Send ${name}`}
                    checked={choices[name].on}
                    disabled={required}
                    onChange={(event) => set(name, { on: event.currentTarget.checked })}
                  />
                </Table.Td>
                <Table.Td>
                  <Code>{name}</Code>{' '}
                  <Text span size="sm" c="dimmed">
                    {label}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <TextInput
                    aria-label={`Macro for ${name}`}
                    size="xs"
                    value={choices[name].macro}
                    disabled={!choices[name].on}
                    onChange={(event) => set(name, { macro: event.currentTarget.value })}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group wrap="nowrap" align="flex-start">
          <Code
            block
            aria-label="Postback URL"
            tabIndex={0}
            style={{ flex: 1, minWidth: 0, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
          >
            {url}
          </Code>
          {token && (
            <CopyButton value={url}>
              {({ copied, copy }) => (
                <Button onClick={copy} color={copied ? 'teal' : undefined}>
                  {copied ? 'Copied' : 'Copy URL'}
                </Button>
              )}
            </CopyButton>
          )}
        </Group>
        {token ? (
          <TestConversion base={base} token={token} />
        ) : (
          <Text size="sm" c="dimmed">
            Your role does not see the advertiser's token: an admin or a manager hands the URL out
            and can send a test conversion.
          </Text>
        )}
      </Stack>
    </Paper>
  )
}

/** Fires the advertiser's postback for a real click, as the advertiser would, and says the verdict. */
function TestConversion({ base, token }: { base: string; token: string }) {
  const send = useMutation({
    mutationFn: async (values: Record<string, string>) => {
      const query = new URLSearchParams({ ...values, token })
      // The console is served by the server that takes postbacks: the same path on this origin
      // reaches it without a cross-origin request, whatever public address the URL shows.
      const response = await fetch(`${new URL(base).pathname}?${query}`, { credentials: 'omit' })
      const body = await response.json().catch(() => ({}))
      return postbackVerdict(response.status, body)
    },
  })
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget)
    const values = Object.fromEntries(
      [...data.entries()]
        .map(([name, value]) => [name, String(value).trim()] as const)
        .filter(([, value]) => value !== ''),
    )
    send.mutate(values)
  }
  return (
    <form aria-label="Send a test conversion" onSubmit={onSubmit}>
      <Stack gap="xs">
        <Title order={3} size="h5">
          Send a test conversion
        </Title>
        <Text size="sm" c="dimmed">
          Records a real conversion for the click, with its payout and outbound postbacks, as if the
          advertiser had sent it. Open the offer's tracking link first to get a click id.
        </Text>
        <SimpleGrid cols={{ base: 2, md: 5 }}>
          <TextInput label="Click id" name="click_id" required />
          <TextInput label="Transaction id" name="txid" />
          <TextInput label="Amount" name="amount" inputMode="decimal" />
          <Select
            label="Status"
            name="status"
            clearable
            placeholder="approved"
            data={['approved', 'pending', 'rejected']}
          />
          <TextInput label="Goal" name="goal" placeholder="default" />
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={send.isPending}>
            Send test conversion
          </Button>
        </Group>
        {send.data && (
          <Alert
            role="status"
            color={send.data.ok ? 'teal' : 'red'}
            title="Verdict"
            styles={{ title: { color: 'var(--mantine-color-text)' } }}
          >
            {send.data.text}
          </Alert>
        )}
        {send.error && (
          <Alert role="alert" color="red" title="Not sent">
            {send.error.message}
          </Alert>
        )}
      </Stack>
    </form>
  )
}
