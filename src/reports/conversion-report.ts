import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { HOUR_MS } from './rollup-tiers.ts'
import { foldRows, type ReportGroup, type ReportRequest } from './run-report.ts'

export const ADV_FILTERS = ['adv1', 'adv2', 'adv3', 'adv4', 'adv5'] as const
export type AdvFilter = (typeof ADV_FILTERS)[number]

// Rollups carry no advertiser values (one key per value would multiply every rollup row), so a
// report filtered by them reads the conversions themselves: conversion counts and money only.
const COLUMN_OF: Record<string, string> = { device: 'device_type' }

/**
 * A report of the conversions whose advertiser values match `adv`, grouped as a rollup report
 * is, at conversion time. Clicks are 0: a click carries no advertiser values.
 */
export async function runConversionReport(
  db: Db,
  request: ReportRequest,
  adv: Partial<Record<AdvFilter, string>>,
): Promise<ReportGroup[]> {
  const dimensions = request.groupBy.filter((key) => key !== 'hour' && key !== 'day')
  const timed = request.groupBy.includes('hour') || request.groupBy.includes('day')
  const keys = [
    ...(timed ? [sql`created_at - (created_at % ${HOUR_MS}) as bucket`] : []),
    ...dimensions.map((d) => sql`${sql.ref(COLUMN_OF[d] ?? d)} as ${sql.ref(d)}`),
    sql`currency`,
  ]
  const groupKeys = [
    ...(timed ? [sql`created_at - (created_at % ${HOUR_MS})`] : []),
    ...dimensions.map((d) => sql.ref(COLUMN_OF[d] ?? d)),
    sql`currency`,
  ]
  const conditions = [
    sql`created_at >= ${request.from}`,
    sql`created_at < ${request.to}`,
    ...Object.entries(request.filters).map(
      ([d, value]) => sql`${sql.ref(COLUMN_OF[d] ?? d)} = ${value}`,
    ),
    ...Object.entries(adv).map(([column, value]) => sql`${sql.ref(column)} = ${value}`),
    ...(request.offerIds === undefined
      ? []
      : request.offerIds.length === 0
        ? [sql`1 = 0`]
        : [sql`offer_id in (${sql.join(request.offerIds.map((id) => sql`${id}`))})`]),
  ]
  const approved = (value: unknown) =>
    sql`sum(case when status = 'approved' then ${value} else 0 end)`
  const { rows } = await sql<Record<string, string | number | null>>`select ${sql.join(keys)},
      0 as clicks, 0 as unique_clicks,
      ${approved(sql`1`)} as conversions,
      sum(case when status = 'pending' then 1 else 0 end) as pending_conversions,
      sum(case when status = 'rejected' then 1 else 0 end) as rejected_conversions,
      sum(case when status = 'pending' and reason = 'held' then 1 else 0 end) as held_conversions,
      sum(case when flags is not null then 1 else 0 end) as flagged_conversions,
      0 as blocked_clicks,
      ${approved(sql.ref('revenue'))} as revenue,
      ${approved(sql.ref('payout'))} as payout
    from conversions where ${sql.join(conditions, sql` and `)}
    group by ${sql.join(groupKeys)}`.execute(db)
  return foldRows(rows, request)
}
