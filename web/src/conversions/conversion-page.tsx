import { Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { getRouteApi } from '@tanstack/react-router'
import type { ReactNode } from 'react'
import { may } from '../access/may.ts'
import { useSession } from '../access/session.ts'
import { dataOrThrow } from '../api/api-error.ts'
import type { Conversion } from '../api/api-types.ts'
import { api } from '../api/client.ts'
import { ClickDetails } from '../clicks/click-details.tsx'
import { ConversionDeliveries } from '../delivery/conversion-deliveries.tsx'
import { formatMoney } from '../reports/figures.ts'
import { AnchorLink } from '../shared/anchor-link.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { PageTitle } from '../shell/app-shell.tsx'
import { ChangeStatusButton } from './change-status-dialog.tsx'
import { ConversionFlags } from './conversion-flags.tsx'
import { InboundCalls } from './inbound-calls.tsx'
import { StatusBadge } from './status-badge.tsx'

const route = getRouteApi('/app/conversions/$id')

/**
 * A conversion's trace in one place: the click it came from, every postback call about it, its
 * status history and every delivery to the affiliate. Sections the role may not read are left out.
 */
export function ConversionPage() {
  const { id } = route.useParams()
  const session = useSession()
  const conversion = useQuery({
    queryKey: ['conversions', 'one', id],
    queryFn: async () =>
      dataOrThrow(await api.GET('/api/v1/conversions/{id}', { params: { path: { id } } })),
    retry: false,
  })
  const data = conversion.data

  return (
    <>
      <PageTitle>{`Conversion ${id}`}</PageTitle>
      <AnchorLink to="/conversions" size="sm" mb="md" display="inline-block">
        Back to conversions
      </AnchorLink>
      <ErrorAlert error={conversion.error} title="No such conversion" />
      {data && (
        <Stack gap="xl">
          <Summary conversion={data} canChange={may(session, 'PATCH /api/v1/conversions/:id')} />
          <Section title="Click">
            {may(session, 'GET /api/v1/clicks/:click_id') ? (
              <TraceClick conversion={data} />
            ) : (
              <ClickAsRecorded conversion={data} />
            )}
          </Section>
          {may(session, 'GET /api/v1/postback-log') && (
            <Section title="Inbound postback calls">
              <InboundCalls clickId={data.click_id} />
            </Section>
          )}
          <Section title="Status history">
            <StatusHistory conversion={data} />
          </Section>
          {may(session, 'GET /api/v1/deliveries') && (
            <Section title="Deliveries">
              <ConversionDeliveries conversionId={data.id} />
            </Section>
          )}
        </Stack>
      )}
    </>
  )
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const headingId = `trace-${title.toLowerCase().replaceAll(' ', '-')}`
  return (
    <section aria-labelledby={headingId}>
      <Title order={2} size="h3" id={headingId} mb="sm">
        {title}
      </Title>
      {children}
    </section>
  )
}

function Summary({ conversion, canChange }: { conversion: Conversion; canChange: boolean }) {
  const money = (value: number | undefined) =>
    value === undefined ? null : formatMoney(value, conversion.currency)
  const facts: Array<[string, ReactNode]> = [
    ['Status', <StatusBadge key="status" status={conversion.status} />],
    ['Goal', conversion.goal],
    ['Transaction', conversion.txid ?? '—'],
    ['Offer', conversion.offer_id],
    ['Affiliate', conversion.affiliate_id ?? null],
    ['Payout', money(conversion.payout)],
    ['Revenue', money(conversion.revenue)],
    ['Amount', conversion.amount === null ? null : money(conversion.amount)],
    ['Recorded', new Date(conversion.created_at).toLocaleString()],
    ['Time to convert', `${conversion.seconds_to_convert} s after the click`],
  ]
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <SimpleGrid cols={{ base: 2, md: 5 }} spacing="md" component="dl" m={0} flex={1}>
          {facts
            .filter(([, value]) => value !== null)
            .map(([label, value]) => (
              <div key={label}>
                <Text component="dt" size="sm" c="dimmed">
                  {label}
                </Text>
                <Text component="dd" m={0}>
                  {value}
                </Text>
              </div>
            ))}
        </SimpleGrid>
        {canChange && <ChangeStatusButton conversion={conversion} />}
      </Group>
      {conversion.reason && <Text mt="sm">Reason: {conversion.reason}</Text>}
      {conversion.flags.length > 0 && (
        <Group mt="sm" gap="xs">
          <Text>Fraud flags:</Text>
          <ConversionFlags flags={conversion.flags} />
        </Group>
      )}
    </Paper>
  )
}

/** The stored click; when retention already deleted it, what the conversion kept of it. */
function TraceClick({ conversion }: { conversion: Conversion }) {
  const click = useQuery({
    queryKey: ['click', conversion.click_id],
    queryFn: async () =>
      dataOrThrow(
        await api.GET('/api/v1/clicks/{click_id}', {
          params: { path: { click_id: conversion.click_id } },
        }),
      ),
    retry: false,
  })
  if (click.data) {
    return (
      <Stack gap="xs">
        <ClickDetails click={click.data} />
        <AnchorLink to="/clicks/$clickId" params={{ clickId: conversion.click_id }} size="sm">
          Open the click and all its conversions
        </AnchorLink>
      </Stack>
    )
  }
  if (click.isError) {
    return (
      <Stack gap="xs">
        <Text c="dimmed">
          The click itself is no longer stored (raw clicks are kept for a limited time); this is
          what the conversion kept of it.
        </Text>
        <ClickAsRecorded conversion={conversion} />
      </Stack>
    )
  }
  return null
}

/** The click as the conversion copied it when recorded. */
function ClickAsRecorded({ conversion }: { conversion: Conversion }) {
  const subs = (['sub1', 'sub2', 'sub3', 'sub4', 'sub5'] as const)
    .filter((key) => conversion[key] !== null)
    .map((key) => `${key}=${conversion[key]}`)
    .join(', ')
  const rows: Array<[string, string]> = [
    ['Time', new Date(conversion.clicked_at).toLocaleString()],
    ['Click id', conversion.click_id],
    ['Sub ids', subs || '—'],
    ['Source', conversion.source ?? '—'],
    ['Country', conversion.country ?? '—'],
    ['Device', conversion.device ?? '—'],
  ]
  return (
    <Paper withBorder maw={900}>
      <Table>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th scope="row" w={140}>
                {label}
              </Table.Th>
              <Table.Td style={{ wordBreak: 'break-all' }}>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  )
}

function StatusHistory({ conversion }: { conversion: Conversion }) {
  return (
    <Table striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Time</Table.Th>
          <Table.Th>Change</Table.Th>
          <Table.Th>By</Table.Th>
          <Table.Th>Reason</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {conversion.history.map((change) => (
          <Table.Tr key={change.id}>
            <Table.Td>{new Date(change.at).toLocaleString()}</Table.Td>
            <Table.Td>
              {change.from === null ? `recorded ${change.to}` : `${change.from} → ${change.to}`}
            </Table.Td>
            <Table.Td>
              {change.source === 'api' ? 'a person (API or console)' : 'postback'}
            </Table.Td>
            <Table.Td>{change.reason ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
