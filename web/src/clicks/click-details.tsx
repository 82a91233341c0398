import { Badge, Group, Paper, Table } from '@mantine/core'
import type { ReactNode } from 'react'
import type { Click } from '../api/api-types.ts'

/** One click, field by field: where it came from, on what, and whether it counts. */
export function ClickDetails({ click }: { click: Click }) {
  const rows: Array<[string, ReactNode]> = [
    ['Time', new Date(click.created_at).toLocaleString()],
    ['Click id', click.click_id],
    ['Offer', click.offer_id],
    ['Affiliate', click.affiliate_id],
    ['Sub ids', subIds(click) || '—'],
    ['Source', click.source ?? '—'],
    ['Country', click.country ?? '—'],
    ['Device', [click.device, click.os, click.browser].filter(Boolean).join(', ') || '—'],
    ['Flags', <ClickFlags key="flags" click={click} />],
    ['IP', click.ip],
    ['User agent', click.user_agent ?? '—'],
    ['Referrer', click.referrer ?? '—'],
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

/** `sub1=a, sub3=b`: the sub ids a click has, in one cell. */
export function subIds(click: Record<'sub1' | 'sub2' | 'sub3' | 'sub4' | 'sub5', string | null>) {
  return (['sub1', 'sub2', 'sub3', 'sub4', 'sub5'] as const)
    .filter((key) => click[key] !== null)
    .map((key) => `${key}=${click[key]}`)
    .join(', ')
}

/** The bot and unique flags as words, never colour alone. */
export function ClickFlags({ click }: { click: { is_bot: boolean; is_unique: boolean } }) {
  return (
    <Group gap={4}>
      {click.is_bot && <Badge color="red.9">bot</Badge>}
      <Badge color={click.is_unique ? 'teal.9' : 'gray.7'}>
        {click.is_unique ? 'unique' : 'repeat'}
      </Badge>
    </Group>
  )
}
