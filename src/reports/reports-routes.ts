import { Type } from 'typebox'
import { seesNetworkMoney } from '../access/index.ts'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { AppError } from '../http/errors.ts'
import { ADMIN_ERRORS } from '../http/schemas.ts'
import { parseId } from '../shared/ids.ts'
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
]
// Affiliates see what they earn, not what the network earns.
const NETWORK_ONLY = ['revenue', 'profit']

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
})

const Row = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()]))

export function registerReportRoutes(api: App, { database }: AppContext): void {
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
      const groups = await runReport(database.db, { groupBy, tz, filters, ...range })
      const report = presentReport(groups, {
        groupBy,
        sort: query.sort as string | undefined,
        limit: Number(query.limit ?? 1000),
      })
      const visible = seesNetworkMoney(principal) ? report : hideNetworkMoney(report)
      const wantsCsv =
        query.format === 'csv' ||
        (query.format === undefined && request.headers.accept?.includes('text/csv'))
      if (!wantsCsv) return visible
      const columns = [...groupBy, ...METRICS].filter(
        (c) => seesNetworkMoney(principal) || !NETWORK_ONLY.includes(c),
      )
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="report.csv"')
        .send(reportCsv(visible, columns) as never)
    },
  )
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

function hideNetworkMoney(report: Report): Report {
  const strip = (row: Report['totals']) =>
    Object.fromEntries(Object.entries(row).filter(([key]) => !NETWORK_ONLY.includes(key)))
  return { rows: report.rows.map(strip), totals: strip(report.totals) }
}
