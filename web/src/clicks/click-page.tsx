import { Button, Stack, Table, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { getRouteApi } from '@tanstack/react-router'
import { dataOrThrow } from '../api/api-error.ts'
import { api } from '../api/client.ts'
import { StatusBadge } from '../conversions/status-badge.tsx'
import { AnchorLink } from '../shared/anchor-link.tsx'
import { EmptyState } from '../shared/empty-state.tsx'
import { ErrorAlert } from '../shared/error-alert.tsx'
import { PageTitle } from '../shell/app-shell.tsx'
import { ClickDetails } from './click-details.tsx'

const route = getRouteApi('/app/clicks/$clickId')

/** One click and the conversions it led to. */
export function ClickPage() {
  const { clickId } = route.useParams()
  const click = useQuery({
    queryKey: ['click', clickId],
    queryFn: async () =>
      dataOrThrow(
        await api.GET('/api/v1/clicks/{click_id}', { params: { path: { click_id: clickId } } }),
      ),
    retry: false,
  })
  const conversions = useQuery({
    queryKey: ['conversions', { click_id: clickId }],
    queryFn: async () =>
      dataOrThrow(
        await api.GET('/api/v1/conversions', { params: { query: { click_id: clickId } } }),
      ),
    enabled: click.isSuccess,
  })
  const rows = conversions.data?.data ?? []

  return (
    <>
      <PageTitle>Click</PageTitle>
      <AnchorLink to="/clicks" size="sm" mb="md" display="inline-block">
        Back to the click log
      </AnchorLink>
      <ErrorAlert error={click.error} title="No such click" />
      {click.data && (
        <Stack gap="lg">
          <ClickDetails click={click.data} />
          <section aria-labelledby="click-conversions">
            <Title order={2} size="h3" id="click-conversions" mb="sm">
              Conversions from this click
            </Title>
            <ErrorAlert error={conversions.error} title="Could not load its conversions" />
            {conversions.isSuccess && rows.length === 0 ? (
              <EmptyState
                title="No conversions from this click yet"
                next="A conversion appears when the advertiser calls its postback URL with this click id. If one is missing, look for the call in the postback log."
                action={
                  <Button component={AnchorLink} to="/postback-log" variant="light">
                    Open the postback log
                  </Button>
                }
              />
            ) : (
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Time</Table.Th>
                    <Table.Th>Conversion</Table.Th>
                    <Table.Th>Goal</Table.Th>
                    <Table.Th>Transaction</Table.Th>
                    <Table.Th>Status</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((conversion) => (
                    <Table.Tr key={conversion.id}>
                      <Table.Td>{new Date(conversion.created_at).toLocaleString()}</Table.Td>
                      <Table.Td>
                        <AnchorLink to="/conversions/$id" params={{ id: conversion.id }} size="sm">
                          Trace of conversion {conversion.id}
                        </AnchorLink>
                      </Table.Td>
                      <Table.Td>{conversion.goal}</Table.Td>
                      <Table.Td>{conversion.txid ?? '—'}</Table.Td>
                      <Table.Td>
                        <StatusBadge status={conversion.status} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </section>
        </Stack>
      )}
    </>
  )
}
