import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { type BucketRun, coverRange } from './cover-range.ts'
import { COUNTERS, type Counter, type Dimension, familyFor, type Tier } from './rollup-tiers.ts'
import { localTime, zonedToUtc } from './time-zone.ts'

export type TimeDimension = 'hour' | 'day'
export type GroupKey = TimeDimension | Dimension

export interface ReportRequest {
  groupBy: GroupKey[]
  /** Whole UTC hours, [from, to). */
  from: number
  to: number
  tz: string
  filters: Partial<Record<Dimension, string | number>>
  /** When set, only these offers count (an advertiser's report); empty matches nothing. */
  offerIds?: readonly number[]
}

/** Sums in minor units, per group, before presentation. */
export interface ReportGroup {
  keys: Partial<Record<GroupKey, string | null>>
  currency: string
  counts: Record<Counter, number>
}

/**
 * Reads the smallest rollup family that has every dimension asked for, covering the range with
 * its longest buckets that fit (see coverRange) and summing per bucket in SQL; buckets are then
 * folded into local hours or days of `tz` here, which is exact for any zone whose offsets are
 * whole hours.
 */
export async function runReport(db: Db, request: ReportRequest): Promise<ReportGroup[]> {
  const dimensions = request.groupBy.filter(
    (key): key is Dimension => key !== 'hour' && key !== 'day',
  )
  const time = request.groupBy.includes('hour')
    ? 'hour'
    : request.groupBy.includes('day')
      ? 'day'
      : null
  const filtered = Object.keys(request.filters) as Dimension[]
  const family = familyFor([
    ...dimensions,
    ...filtered,
    ...(request.offerIds ? (['offer_id'] as const) : []),
  ])
  const tiers = usableTiers(family, request, time)
  const runs = coverRange(
    request.from,
    request.to,
    tiers.map((tier) => tier.bucketMs),
  )
  const columns = [...(time ? ['bucket'] : []), ...dimensions, 'currency']
  const branches = tiers.flatMap((tier) => {
    const mine = runs.filter((run) => run.bucketMs === tier.bucketMs)
    return mine.length === 0 ? [] : [branch(tier, mine, columns, request)]
  })
  const { rows } = await sql<
    Record<string, string | number>
  >`${sql.join(branches, sql` union all `)}`.execute(db)
  return foldRows(rows, request)
}

/**
 * Sums rows of (bucket?, dimensions…, currency, counters…) into one group per key and currency,
 * folding buckets into the local hours or days of the request's zone.
 */
export function foldRows(
  rows: ReadonlyArray<Record<string, string | number | null>>,
  request: Pick<ReportRequest, 'groupBy' | 'tz'>,
): ReportGroup[] {
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

/** One tier's share of the report, summed per group in SQL. */
function branch(
  tier: Tier,
  runs: BucketRun[],
  columns: string[],
  { filters, offerIds }: ReportRequest,
) {
  const ranges = runs.map((run) => sql`(bucket >= ${run.from} and bucket < ${run.to})`)
  const conditions = [
    sql`(${sql.join(ranges, sql` or `)})`,
    ...Object.entries(filters).map(([dimension, value]) => sql`${sql.ref(dimension)} = ${value}`),
    ...(offerIds === undefined
      ? []
      : offerIds.length === 0
        ? [sql`1 = 0`]
        : [sql`offer_id in (${sql.join(offerIds.map((id) => sql`${id}`))})`]),
  ]
  const keys = sql.join(columns.map((column) => sql.ref(column)))
  const sums = sql.join(
    COUNTERS.map((counter) => sql`sum(${sql.ref(counter)}) as ${sql.ref(counter)}`),
  )
  return sql`select ${keys}, ${sums} from ${sql.table(tier.table)} where ${sql.join(conditions, sql` and `)} group by ${keys}`
}

/**
 * The tiers whose buckets never straddle a boundary between the report's time groups: all of
 * them without time groups, hourly only by hour, and by day those whose length divides every
 * local midnight inside the range (daily and longer only for UTC days). Hourly is always usable:
 * in zones with half-hour offsets it is the approximation the docs describe.
 */
function usableTiers(family: Tier[], request: ReportRequest, time: TimeDimension | null): Tier[] {
  if (time === 'hour') return family.slice(0, 1)
  const boundaries = time === 'day' ? localMidnights(request) : []
  return family.filter(
    (tier, index) => index === 0 || boundaries.every((at) => at % tier.bucketMs === 0),
  )
}

/** The instants strictly inside (from, to) at which a local day of `tz` starts. */
function localMidnights({ from, to, tz }: ReportRequest): number[] {
  const first = localTime(tz, from)
  const midnights: number[] = []
  for (let days = 1; ; days++) {
    const at = zonedToUtc(tz, first.year, first.month, first.day + days)
    if (at >= to) return midnights
    if (at > from) midnights.push(at)
  }
}
