import { type Expression, sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { COUNTERS, type Counter, DAY_MS, type Dimension, tierFor } from './rollup-tiers.ts'
import { localTime } from './time-zone.ts'

export type TimeDimension = 'hour' | 'day'
export type GroupKey = TimeDimension | Dimension

export interface ReportRequest {
  groupBy: GroupKey[]
  /** Whole UTC hours, [from, to). */
  from: number
  to: number
  tz: string
  filters: Partial<Record<Dimension, string | number>>
}

/** Sums in minor units, per group, before presentation. */
export interface ReportGroup {
  keys: Partial<Record<GroupKey, string | null>>
  currency: string
  counts: Record<Counter, number>
}

/**
 * Reads the smallest rollup tier that has every dimension asked for, summing per bucket in SQL;
 * buckets are then folded into local hours or days of `tz` here, which is exact for any zone
 * whose offsets are whole hours.
 */
export async function runReport(db: Db, request: ReportRequest): Promise<ReportGroup[]> {
  const dimensions = request.groupBy.filter(
    (key): key is Dimension => key !== 'hour' && key !== 'day',
  )
  const byTime = dimensions.length !== request.groupBy.length
  const dailyFits = !request.groupBy.includes('hour') && isWholeUtcDays(request)
  const tier = tierFor([...dimensions, ...(Object.keys(request.filters) as Dimension[])], dailyFits)
  const columns = [...(byTime ? ['bucket'] : []), ...dimensions, 'currency']

  let query = db
    .selectFrom(sql.table(tier.table).as('r') as unknown as 'rollup_full')
    .where(sql.ref('bucket'), '>=', request.from)
    .where(sql.ref('bucket'), '<', request.to)
  for (const [dimension, value] of Object.entries(request.filters)) {
    query = query.where(sql.ref(dimension), '=', value)
  }
  const rows = (await query
    .select(columns.map((column) => sql.ref(column).as(column)))
    .select(COUNTERS.map((counter) => sql<string>`sum(${sql.ref(counter)})`.as(counter)))
    .groupBy(columns.map((column) => sql.ref(column) as Expression<unknown>))
    .execute()) as Array<Record<string, string | number>>

  const groups = new Map<string, ReportGroup>()
  for (const row of rows) {
    const keys: ReportGroup['keys'] = {}
    for (const key of request.groupBy) {
      if (key === 'hour' || key === 'day')
        keys[key] = timeLabel(key, request.tz, Number(row.bucket))
      else keys[key] = row[key] === '' || row[key] === null ? null : String(row[key])
    }
    const currency = String(row.currency)
    const id = JSON.stringify([keys, currency])
    let group = groups.get(id)
    if (!group) {
      group = {
        keys,
        currency,
        counts: Object.fromEntries(COUNTERS.map((c) => [c, 0])) as ReportGroup['counts'],
      }
      groups.set(id, group)
    }
    // PostgreSQL sums bigints as numeric, which pg hands over as text.
    for (const counter of COUNTERS) group.counts[counter] += Number(row[counter])
  }
  return [...groups.values()]
}

function timeLabel(key: TimeDimension, tz: string, bucket: number): string {
  const local = localTime(tz, bucket)
  const date = `${local.year}-${pad(local.month)}-${pad(local.day)}`
  if (key === 'day') return date
  const sign = local.offsetMinutes < 0 ? '-' : '+'
  const offset = Math.abs(local.offsetMinutes)
  return `${date}T${pad(local.hour)}:00${sign}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`
}

function pad(value: number): string {
  return String(value).padStart(2, '0')
}

/** True when the range is whole UTC days and `tz` is at UTC+0 throughout (UTC, GMT…). */
function isWholeUtcDays({ from, to, tz }: ReportRequest): boolean {
  if (from % DAY_MS !== 0 || to % DAY_MS !== 0) return false
  for (let day = from; day < to; day += DAY_MS) {
    if (
      localTime(tz, day).offsetMinutes !== 0 ||
      localTime(tz, day + DAY_MS - 1).offsetMinutes !== 0
    ) {
      return false
    }
  }
  return true
}
