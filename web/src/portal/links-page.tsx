import {
  Button,
  Code,
  CopyButton,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { getRouteApi, Link } from '@tanstack/react-router'
import { useState } from 'react'
import { offersQuery } from '../catalog/catalog-queries.ts'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { PageTitle } from '../shell/app-shell.tsx'

const route = getRouteApi('/app/links')
const PARAMETERS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'source'] as const
type Parameter = (typeof PARAMETERS)[number]

const HINTS: Record<Parameter, string> = {
  sub1: "Your own click id, e.g. your tracker's {clickid}: postbacks give it back as {sub1}",
  sub2: 'Campaign, placement, creative…',
  sub3: '',
  sub4: '',
  sub5: '',
  source: 'The traffic source',
}

/** The tracking link of an offer open to the affiliate, with its sub ids and source filled in. */
export function LinksPage() {
  const search = route.useSearch()
  const navigate = route.useNavigate()
  const offers = useQuery(offersQuery({}))
  const open = (offers.data?.data ?? []).filter(
    (offer) => (offer.access ?? 'granted') === 'granted',
  )
  const offer = open.find((o) => o.id === search.offer_id)
  const [values, setValues] = useState<Record<Parameter, string>>({
    sub1: '',
    sub2: '',
    sub3: '',
    sub4: '',
    sub5: '',
    source: '',
  })
  const link = offer ? withParameters(offer.tracking_url, values) : ''

  return (
    <>
      <PageTitle>Links</PageTitle>
      <ErrorAlert error={offers.error} title="Could not load your offers" />
      {offers.isSuccess && open.length === 0 ? (
        <EmptyState
          title="No offer is open to you yet"
          next="Request access to an offer on the Offers page; once a manager approves it, its link is built here."
          action={
            <Button component={Link} to="/offers">
              See offers
            </Button>
          }
        />
      ) : (
        <Stack maw={760}>
          <Select
            label="Offer"
            placeholder="Choose an offer"
            searchable
            data={open.map((o) => ({ value: o.id, label: o.name }))}
            value={search.offer_id ?? null}
            onChange={(id) =>
              navigate({ search: (prev) => ({ ...prev, offer_id: id ?? undefined }) })
            }
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {PARAMETERS.map((name) => (
              <TextInput
                key={name}
                label={name}
                description={HINTS[name]}
                value={values[name]}
                onChange={(event) => {
                  const value = event.currentTarget.value
                  setValues((prev) => ({ ...prev, [name]: value }))
                }}
              />
            ))}
          </SimpleGrid>
          {offer ? (
            <Paper withBorder p="md" component="section" aria-label="Your tracking link">
              <Text size="sm" fw={600} mb="xs">
                Your tracking link
              </Text>
              <Code block data-testid="tracking-link" style={{ wordBreak: 'break-all' }}>
                {link}
              </Code>
              <Group mt="sm">
                <CopyButton value={link}>
                  {({ copied, copy }) => (
                    <Button onClick={copy}>{copied ? 'Copied' : 'Copy link'}</Button>
                  )}
                </CopyButton>
              </Group>
            </Paper>
          ) : (
            <Text size="sm" c="dimmed">
              Choose an offer to build its link.
            </Text>
          )}
        </Stack>
      )}
    </>
  )
}

// Values are URL-encoded; empty ones are left out of the link.
function withParameters(trackingUrl: string, values: Record<Parameter, string>): string {
  const url = new URL(trackingUrl)
  for (const name of PARAMETERS) {
    const value = values[name].trim()
    if (value) url.searchParams.set(name, value)
  }
  // `{affiliate_id}` (a staff member's view) stays readable rather than percent-encoded.
  return url.toString().replace('%7Baffiliate_id%7D', '{affiliate_id}')
}
