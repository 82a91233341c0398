import { Type } from 'typebox'
import { type Scope, seesNetworkMoney } from '../access/index.ts'
import type { Db } from '../db/database.ts'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { AppError } from '../http/errors.ts'
import { ADMIN_ERRORS } from '../http/schemas.ts'
import { parseId } from '../shared/ids.ts'
import { ADV_FILTERS, type AdvFilter, runConversionReport } from './conversion-report.ts'
import { presentReport, type Report } from './present-report.ts'
import { reportCsv } from './report-csv.ts'
import { reportRange } from './report-range.ts'
import { DIMENSIONS, type Dimension } from './rollup-tiers.ts'
import { type GroupKey, runReport } from './run-report.ts'
import { checkTimeZone } from './time-zone.ts'

const GROUP_KEYS: readonly GroupKey[] = ['hour', 'day', ...DIMENSIONS]
const METRICS = [
  'currency',
  'clicks',
  'unique_clicks',
  'conversions',
  'pending_conversions',
  'rejected_conversions',
  'held_conversions',
  'flagged_conversions',
  'revenue',
  'payout',
  'profit',
  'cr',
  'epc',
  'blocked_clicks',
]
// Affiliates see what they earn, not what the network earns.
const NETWORK_ONLY = ['revenue', 'profit']
// Advertisers see what they pay (the network's revenue), not what affiliates are paid.
const PAYOUT_SIDE = ['payout', 'profit', 'epc']

const filterFields = Object.fromEntries(
  DIMENSIONS.map((d) => [d, Type.Optional(Type.String({ maxLength: 1000 }))]),
)

const ReportQuery = Type.Object({
  group_by: Type.Optional(
    Type.String({ description: `comma-separated, from: ${GROUP_KEYS.join(', ')}`, default: 'day' }),
  ),
  from: Type.Optional(Type.String({ description: 'ISO date (local day in tz) or datetime' })),
  to: Type.Optional(Type.String({ description: 'ISO date (inclusive) or datetime (exclusive)' })),
  tz: Type.Optional(
    Type.String({ default: 'UTC', description: 'IANA time zone for hour/day buckets' }),
  ),
  sort: Type.Optional(
    Type.String({ description: 'a metric or dimension; prefix - for descending' }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1000 })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
  ...filterFields,
  ...Object.fromEntries(
    ADV_FILTERS.map((key) => [
      key,
      Type.Optional(
        Type.String({
          maxLength: 500,
          description: `only conversions with this ${key}; clicks are then 0 (clicks carry no advertiser values)`,
        }),
      ),
    ]),
  ),
})

const Row = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()]))

export function registerReportRoutes(api: App, { database }: AppContext): void {
  const { db } = database
  api.get(
    '/reports',
    {
      schema: {
        operationId: 'getReport',
        summary: 'Run a report',
        description:
          "Counts and money grouped by `group_by`, with a `totals` row, from rollups kept in the same transactions as clicks and conversions. JSON, or CSV with `format=csv` or `Accept: text/csv`. Affiliate keys get their own rows without `revenue` and `profit`. Units: `cr` is a fraction (0.125 = 12.5 %), money is in the row's `currency`.",
        tags: ['reports'],
        querystring: ReportQuery,
        response: {
          200: Type.Object(
            { rows: Type.Array(Row), totals: Row },
            {
              examples: [
                {
                  rows: [
                    {
                      day: '2026-12-01',
                      offer_id: '1',
                      currency: 'USD',
                      clicks: 200,
                      unique_clicks: 180,
                      conversions: 5,
                      pending_conversions: 1,
                      rejected_conversions: 0,
                      held_conversions: 0,
                      flagged_conversions: 0,
                      revenue: 12.5,
                      payout: 8.75,
                      profit: 3.75,
                      cr: 0.025,
                      epc: 0.0438,
                      blocked_clicks: 3,
                    },
                  ],
                  totals: {
                    currency: 'USD',
                    clicks: 200,
                    unique_clicks: 180,
                    conversions: 5,
                    pending_conversions: 1,
                    rejected_conversions: 0,
                    held_conversions: 0,
                    flagged_conversions: 0,
                    revenue: 12.5,
                    payout: 8.75,
                    profit: 3.75,
                    cr: 0.025,
                    epc: 0.0438,
                    blocked_clicks: 3,
                  },
                },
              ],
            },
          ),
          ...ADMIN_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const query = request.query as Record<string, string | number | undefined>
      const groupBy = parseGroupBy(String(query.group_by ?? 'day'))
      const tz = String(query.tz ?? 'UTC')
      checkTimeZone(tz)
      const range = reportRange(
        tz,
        query.from as string | undefined,
        query.to as string | undefined,
      )
      const filters = parseFilters(query)
      const principal = request.principal
      if (principal.role === 'affiliate') {
        refuseNetworkFields(query)
        if (filters.affiliate_id !== undefined && filters.affiliate_id !== principal.affiliateId) {
          throw new AppError('not_found', `affiliate ${query.affiliate_id} not found`)
        }
        filters.affiliate_id = principal.affiliateId
      }
      let offerIds: number[] | undefined
      if (principal.role === 'advertiser') {
        refuseAffiliateSide(query, groupBy)
        offerIds = await advertiserOffers(db, principal.advertiserId)
        if (filters.offer_id !== undefined && !offerIds.includes(Number(filters.offer_id))) {
          throw new AppError('not_found', `offer ${query.offer_id} not found`)
        }
      }
      const reportRequest = { groupBy, tz, filters, offerIds, ...range }
      const adv = advFilters(query)
      const groups =
        Object.keys(adv).length > 0
          ? await runConversionReport(db, reportRequest, adv)
          : await runReport(db, reportRequest)
      const report = presentReport(groups, {
        groupBy,
        sort: query.sort as string | undefined,
        limit: Number(query.limit ?? 1000),
      })
      const hidden = hiddenColumns(principal)
      const visible = hidden.length === 0 ? report : hideColumns(report, hidden)
      const wantsCsv =
        query.format === 'csv' ||
        (query.format === undefined && request.headers.accept?.includes('text/csv'))
      if (!wantsCsv) return visible
      const columns = [...groupBy, ...METRICS].filter((c) => !hidden.includes(c))
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="report.csv"')
        .send(reportCsv(visible, columns) as never)
    },
  )
}

function advFilters(query: Record<string, unknown>): Partial<Record<AdvFilter, string>> {
  const adv: Partial<Record<AdvFilter, string>> = {}
  for (const key of ADV_FILTERS) {
    const value = query[key]
    if (typeof value === 'string') adv[key] = value
  }
  return adv
}

function parseGroupBy(text: string): GroupKey[] {
  const keys = text === '' ? [] : text.split(',').map((key) => key.trim())
  const unknown = keys.filter((key) => !GROUP_KEYS.includes(key as GroupKey))
  if (unknown.length > 0) {
    throw new AppError(
      'validation_failed',
      `group_by has unknown dimensions: ${unknown.join(', ')}`,
      [{ field: 'group_by', message: `allowed: ${GROUP_KEYS.join(', ')}` }],
    )
  }
  return [...new Set(keys)] as GroupKey[]
}

function parseFilters(query: Record<string, unknown>): Partial<Record<Dimension, string | number>> {
  const filters: Partial<Record<Dimension, string | number>> = {}
  for (const dimension of DIMENSIONS) {
    const value = query[dimension]
    if (typeof value !== 'string') continue
    if (dimension === 'offer_id' || dimension === 'affiliate_id') {
      // An id that cannot exist matches nothing rather than erroring, like a list filter.
      filters[dimension] = parseId(value) ?? 0
    } else {
      filters[dimension] = value
    }
  }
  return filters
}

// Sorting by a hidden column would reveal it through the order. (There is no money filter to
// refuse: the closed query schema answers an unknown parameter with a 400 for every caller.)
function refuseNetworkFields(query: Record<string, unknown>): void {
  const sortField = typeof query.sort === 'string' ? query.sort.replace(/^-/, '') : undefined
  const named = NETWORK_ONLY.find((field) => field === sortField)
  if (named === undefined) return
  throw new AppError('hidden_field', `${named} is not visible to affiliate keys`, [
    { field: 'sort', message: `${named} is hidden from affiliate keys` },
  ])
}

function hiddenColumns(principal: Scope): readonly string[] {
  if (seesNetworkMoney(principal)) return []
  return principal.role === 'advertiser' ? PAYOUT_SIDE : NETWORK_ONLY
}

function hideColumns(report: Report, hidden: readonly string[]): Report {
  const strip = (row: Report['totals']) =>
    Object.fromEntries(Object.entries(row).filter(([key]) => !hidden.includes(key)))
  return { rows: report.rows.map(strip), totals: strip(report.totals) }
}

// Which affiliate brought a conversion, and what it is paid, are the network's to know: an
// advertiser may neither group, filter nor sort by them (the order would tell).
function refuseAffiliateSide(query: Record<string, unknown>, groupBy: GroupKey[]): void {
  const sortField = typeof query.sort === 'string' ? query.sort.replace(/^-/, '') : undefined
  const named =
    (groupBy.includes('affiliate_id') || query.affiliate_id !== undefined
      ? 'affiliate_id'
      : undefined) ?? PAYOUT_SIDE.find((field) => field === sortField)
  if (named === undefined) return
  throw new AppError('hidden_field', `${named} is not visible to advertisers`, [
    {
      field: named === 'affiliate_id' ? 'affiliate_id' : 'sort',
      message: `${named} is hidden from advertisers`,
    },
  ])
}

/** The ids of an advertiser's offers, which bound its reports. */
async function advertiserOffers(db: Db, advertiserId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('offers')
    .select('id')
    .where('advertiser_id', '=', advertiserId)
    .execute()
  return rows.map((row) => row.id)
}
