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
  Title,
} from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { may } from '../access/may.ts'
import { affiliateOf, useSession } from '../access/session.ts'
import type { Offer } from '../api/api-types.ts'
import { affiliatesQuery } from './catalog-queries.ts'
import { CLICK_PARAMETERS, type ClickParameter, trackingLink } from './tracking-link.ts'

const LABELS: Record<ClickParameter, string> = {
  sub1: 'Sub 1',
  sub2: 'Sub 2',
  sub3: 'Sub 3',
  sub4: 'Sub 4',
  sub5: 'Sub 5',
  source: 'Source',
}

/** Pick an affiliate, fill sub ids and source, copy the link to hand them. */
export function TrackingLinkBuilder({ offer }: { offer: Offer }) {
  const session = useSession()
  const ownAffiliate = affiliateOf(session)
  // An affiliate's people build their own links: no one else to pick.
  const affiliates = useQuery({
    ...affiliatesQuery({}),
    enabled: !ownAffiliate && may(session, 'GET /api/v1/affiliates'),
  })
  const [affiliateId, setAffiliateId] = useState<string | null>(ownAffiliate ?? null)
  const [values, setValues] = useState<Partial<Record<ClickParameter, string>>>({})
  const link = affiliateId ? trackingLink(offer.tracking_url, affiliateId, values) : undefined

  return (
    <Paper withBorder p="lg" maw={900} component="section" aria-labelledby="link-builder-title">
      <Title order={2} size="h4" id="link-builder-title" mb="xs">
        Tracking link builder
      </Title>
      <Stack>
        {!ownAffiliate && (
          <Select
            label="Affiliate"
            placeholder="Pick the affiliate to give the link to"
            searchable
            data={(affiliates.data?.data ?? []).map((affiliate) => ({
              value: affiliate.id,
              label: `${affiliate.name} (${affiliate.id})`,
            }))}
            value={affiliateId}
            onChange={setAffiliateId}
            nothingFoundMessage="No affiliate by that name: create one on the Affiliates page"
            maw={400}
          />
        )}
        <SimpleGrid cols={{ base: 2, md: 3 }}>
          {CLICK_PARAMETERS.map((name) => (
            <TextInput
              key={name}
              label={LABELS[name]}
              placeholder={name === 'source' ? 'e.g. facebook' : 'e.g. {clickid}'}
              value={values[name] ?? ''}
              onChange={(event) => {
                const value = event.currentTarget.value
                setValues((current) => ({ ...current, [name]: value }))
              }}
            />
          ))}
        </SimpleGrid>
        {link ? (
          <Group wrap="nowrap" align="flex-start">
            <Code
              block
              aria-label="Tracking link"
              tabIndex={0}
              style={{ flex: 1, minWidth: 0, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
            >
              {link}
            </Code>
            <CopyButton value={link}>
              {({ copied, copy }) => (
                <Button onClick={copy} color={copied ? 'teal' : undefined}>
                  {copied ? 'Copied' : 'Copy link'}
                </Button>
              )}
            </CopyButton>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            Pick an affiliate to see their link. The link template is{' '}
            <Code>{offer.tracking_url}</Code>.
          </Text>
        )}
        <Text size="sm" c="dimmed">
          Sub ids and source are stored with each click and passed on in postback macros; a macro of
          the affiliate's own tracker ({'{clickid}'}) is kept as typed.
        </Text>
      </Stack>
    </Paper>
  )
}
