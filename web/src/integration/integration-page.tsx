import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Paper,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
} from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import { PARAMETER_ALIASES } from '../../../src/conversions/postback-params.ts'
import { advertiserOf, useSession } from '../access/session.ts'
import { dataOrThrow } from '../api/api-error.ts'
import { api } from '../api/client.ts'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { PageTitle } from '../shell/app-shell.tsx'
import { LANGUAGES, postbackExamples } from './postback-examples.ts'

const MEANING: Record<string, string> = {
  click_id: 'Required: the click id your landing page received.',
  txid: 'Your own id of the conversion; the same txid again is a duplicate or a status change.',
  goal: 'The goal key; without it, the offer itself.',
  amount: 'The sale amount, for percent revenue or payout.',
  revenue: 'The revenue you report; required when the offer says its revenue is reported.',
  status: 'approved (default), pending or rejected.',
  currency: "The offer's currency code; other currencies are refused.",
  token: 'Your postback token, unless the call is signed.',
  adv1: 'Your own value, up to 500 characters; adv2 … adv5 the same.',
}

/** Canonical parameter → its other names, from the server's own alias table. */
function parameterNames(): Array<{ name: string; aliases: string[] }> {
  const byName = new Map<string, string[]>()
  for (const [alias, canonical] of Object.entries(PARAMETER_ALIASES)) {
    if (/^adv[2-5]$/.test(canonical)) continue
    const aliases = byName.get(canonical) ?? []
    if (alias !== canonical) aliases.push(alias)
    byName.set(canonical, aliases)
  }
  return [...byName].map(([name, aliases]) => ({ name, aliases }))
}

/**
 * How an advertiser sends Backtrack its conversions: its postback URL with the token, the
 * parameters, copy-ready examples (token GET and signed POST), and a test against a real click.
 */
export function IntegrationPage() {
  const session = useSession()
  const advertiserId = advertiserOf(session)
  const advertiser = useQuery({
    queryKey: ['advertiser', advertiserId],
    enabled: advertiserId !== undefined,
    queryFn: async () =>
      dataOrThrow(
        await api.GET('/api/v1/advertisers/{id}', { params: { path: { id: advertiserId! } } }),
      ),
  })
  const latest = useQuery({
    queryKey: ['latest-click', advertiserId],
    enabled: advertiserId !== undefined,
    retry: false,
    queryFn: async () => {
      const { data, response } = await api.GET('/api/v1/advertisers/{id}/latest-click', {
        params: { path: { id: advertiserId! } },
      })
      if (response.status === 404) return null
      return data ?? null
    },
  })

  if (advertiserId === undefined) {
    return (
      <>
        <PageTitle>Integration</PageTitle>
        <EmptyState
          title="This page is for advertisers"
          next="An advertiser's users see their postback URL and examples here. Staff find each advertiser's postback URL on its page."
          action={
            <Button component={Link} to="/advertisers" variant="light">
              Open advertisers
            </Button>
          }
        />
      </>
    )
  }
  const token = advertiser.data?.postback_token
  const postbackUrl = advertiser.data?.postback_url
  const endpoint = postbackUrl ? postbackUrl.split('?')[0]! : ''
  const clickId = latest.data?.click_id ?? 'CLICK_ID'
  const examples = token ? postbackExamples({ endpoint, token, clickId }) : undefined

  return (
    <>
      <PageTitle>Integration</PageTitle>
      <ErrorAlert error={advertiser.error} title="Could not load your postback settings" />
      <Stack gap="lg" maw={960}>
        <section aria-labelledby="postback-url">
          <Title order={2} size="h4" id="postback-url" mb="xs">
            Your postback URL
          </Title>
          <Text size="sm" mb="xs">
            Call it from your server when a conversion happens, with GET or POST (query string, form
            or JSON body). Your platform fills the {'{…}'} slots.
          </Text>
          {postbackUrl && <Copyable label="postback URL" value={postbackUrl} />}
        </section>

        <section aria-labelledby="parameters">
          <Title order={2} size="h4" id="parameters" mb="xs">
            Parameters
          </Title>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Parameter</Table.Th>
                <Table.Th>Also accepted as</Table.Th>
                <Table.Th>Meaning</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {parameterNames().map(({ name, aliases }) => (
                <Table.Tr key={name}>
                  <Table.Td>
                    <Code>{name === 'adv1' ? 'adv1 … adv5' : name}</Code>
                  </Table.Td>
                  <Table.Td>{aliases.join(', ') || '—'}</Table.Td>
                  <Table.Td>{MEANING[name] ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </section>

        <section aria-labelledby="examples">
          <Title order={2} size="h4" id="examples" mb="xs">
            Examples
          </Title>
          <Text size="sm" mb="xs">
            {latest.data
              ? `Filled with your newest click (${latest.data.click_id}), so they work as they are.`
              : 'Replace CLICK_ID with the click id your landing page received.'}{' '}
            A signed POST needs no token in the request: it carries a Standard Webhooks signature
            keyed with your token.
          </Text>
          {examples && (
            <Tabs defaultValue="curl">
              <Tabs.List>
                {LANGUAGES.map((language) => (
                  <Tabs.Tab key={language.value} value={language.value}>
                    {language.label}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
              {LANGUAGES.map((language) => (
                <Tabs.Panel key={language.value} value={language.value} pt="sm">
                  <Stack>
                    <Example
                      title={`${language.label}: GET with the token`}
                      code={examples[language.value].get}
                    />
                    <Example
                      title={`${language.label}: signed POST`}
                      code={examples[language.value].signed}
                    />
                  </Stack>
                </Tabs.Panel>
              ))}
            </Tabs>
          )}
        </section>

        <SendTest endpoint={endpoint} token={token} clickId={latest.data?.click_id} />
      </Stack>
    </>
  )
}

function Copyable({ label, value }: { label: string; value: string }) {
  return (
    <Group wrap="nowrap" align="flex-start">
      <Code block style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
        {value}
      </Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Stack gap={4} align="center">
            <Button variant="default" onClick={copy} aria-label={`Copy ${label}`}>
              Copy
            </Button>
            {/* Beside the button, not in it: its name stays the same when it changes. */}
            <Text size="xs" aria-live="polite">
              {copied ? 'Copied' : ''}
            </Text>
          </Stack>
        )}
      </CopyButton>
    </Group>
  )
}

function Example({ title, code }: { title: string; code: string }) {
  return (
    <Paper withBorder p="sm">
      <Text fw={600} size="sm" mb="xs">
        {title}
      </Text>
      <Copyable label={`${title} example`} value={code} />
    </Paper>
  )
}

/**
 * Sends a postback for the newest real click of the advertiser's offers, as `rejected` with a
 * `test-…` txid: it shows in the log like any call, and moves no money.
 */
function SendTest({
  endpoint,
  token,
  clickId,
}: {
  endpoint: string
  token: string | undefined
  clickId: string | undefined
}) {
  const send = useMutation({
    mutationFn: async () => {
      const query = new URLSearchParams({
        click_id: clickId!,
        txid: `test-${Date.now()}`,
        status: 'rejected',
        token: token!,
      })
      const response = await fetch(`${new URL(endpoint).pathname}?${query}`)
      return { status: response.status, body: await response.text() }
    },
  })
  return (
    <section aria-labelledby="send-test">
      <Title order={2} size="h4" id="send-test" mb="xs">
        Send a test
      </Title>
      {clickId ? (
        <>
          <Text size="sm" mb="xs">
            Reports your newest click ({clickId}) with status rejected and a test txid: it is
            checked and logged like a real call and moves no money (a click that already converted
            answers duplicate).
          </Text>
          <Group>
            <Button onClick={() => send.mutate()} loading={send.isPending} disabled={!token}>
              Send a test postback
            </Button>
            <Button component={Link} to="/postback-log" variant="light">
              Open the postback log
            </Button>
          </Group>
          {send.data && (
            <Alert
              mt="sm"
              role="status"
              color={send.data.status === 200 ? 'teal' : 'red'}
              title={`Answer: HTTP ${send.data.status}`}
              styles={{ title: { color: 'var(--mantine-color-text)' } }}
            >
              <Code block>{send.data.body}</Code>
            </Alert>
          )}
        </>
      ) : (
        <Text size="sm">
          No click on your offers in the last 30 days. Open one of your offers' tracking links (ask
          the network for one), then come back to send a test against that click.
        </Text>
      )}
    </section>
  )
}
