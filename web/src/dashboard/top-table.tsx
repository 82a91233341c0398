import { Paper, Table, Text, Title } from '@mantine/core'
import { useQueries, useQuery } from '@tanstack/react-query'
import { may } from '../access/may.ts'
import { useSession } from '../access/session.ts'
import { affiliateQuery, offerQuery } from '../catalog/catalog-queries.ts'
import { formatMoney, formatRate } from '../reports/figures.ts'
import { metric, reportQuery } from '../reports/report-queries.ts'
import { AnchorLink } from '../shared/anchor-link.tsx'
import type { Rank } from './periods.ts'

const SHOWN = 5

const KINDS = {
  offer_id: {
    title: 'Top offers',
    noun: 'Offer',
    read: 'GET /api/v1/offers/:id',
    to: '/offers/$id',
  },
  affiliate_id: {
    title: 'Top affiliates',
    noun: 'Affiliate',
    read: 'GET /api/v1/affiliates/:id',
    to: '/affiliates/$id',
  },
} as const

/** The period's five best offers or affiliates by conversions or revenue, with their money. */
export function TopTable({
  dimension,
  from,
  to,
  rank,
}: {
  dimension: keyof typeof KINDS
  from: string
  to: string
  rank: Rank
}) {
  const kind = KINDS[dimension]
  const session = useSession()
  const report = useQuery(
    reportQuery({ group_by: dimension, from, to, sort: `-${rank}`, limit: SHOWN }),
  )
  const rows = report.data?.rows ?? []
  const ids = [...new Set(rows.map((row) => String(row[dimension])))]
  // Names come from the catalog, whose pages the cache shares; a role that may not read them
  // sees ids.
  const readable = may(session, kind.read)
  const names = useQueries({
    queries: ids.map((id) => ({
      ...(dimension === 'offer_id' ? offerQuery(id) : affiliateQuery(id)),
      enabled: readable,
    })),
  })
  const nameOf = (id: string) => names[ids.indexOf(id)]?.data?.name ?? `${kind.noun} ${id}`
  const titleId = `${dimension}-top-title`
  const money = (['revenue', 'payout', 'profit'] as const).filter((name) =>
    rows.some((row) => name in row),
  )
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={titleId}>
      <Title order={2} size="h4" id={titleId} mb="xs">
        {kind.title}
      </Title>
      {report.isSuccess && rows.length === 0 ? (
        <Text c="dimmed" size="sm">
          No traffic in this period yet. Give an affiliate a tracking link from an offer's page.
        </Text>
      ) : (
        <Table striped aria-labelledby={titleId}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{kind.noun}</Table.Th>
              <Table.Th ta="right">Clicks</Table.Th>
              <Table.Th ta="right">Conversions</Table.Th>
              {money.map((name) => (
                <Table.Th key={name} ta="right">
                  {name[0]?.toUpperCase() + name.slice(1)}
                </Table.Th>
              ))}
              <Table.Th ta="right">CR</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => {
              const id = String(row[dimension])
              return (
                <Table.Tr key={`${id}-${row.currency}`}>
                  <Table.Td>
                    {readable ? (
                      <AnchorLink to={kind.to} params={{ id }}>
                        {nameOf(id)}
                      </AnchorLink>
                    ) : (
                      nameOf(id)
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{metric(row, 'clicks')}</Table.Td>
                  <Table.Td ta="right">{metric(row, 'conversions')}</Table.Td>
                  {money.map((name) => (
                    <Table.Td key={name} ta="right">
                      {formatMoney(row[name], row.currency)}
                    </Table.Td>
                  ))}
                  <Table.Td ta="right">{formatRate(row.cr)}</Table.Td>
                </Table.Tr>
              )
            })}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  )
}
