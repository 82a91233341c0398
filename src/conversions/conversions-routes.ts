import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { PageQuery } from '../http/pagination.ts'
import { ADMIN_ERRORS, ErrorResponse, IdParams, PageOf, pathId } from '../http/schemas.ts'
import { capUsage } from './cap-usage.ts'
import { getConversion, listConversions, updateConversionStatus } from './conversions.ts'
import { reviewConversions } from './review-conversions.ts'

const Status = Type.Union([
  Type.Literal('approved'),
  Type.Literal('pending'),
  Type.Literal('rejected'),
])
const NullableText = Type.Union([Type.String(), Type.Null()])

const StatusChange = Type.Object({
  id: Type.String(),
  from: Type.Union([Status, Type.Null()]),
  to: Status,
  source: Type.Union([Type.Literal('postback'), Type.Literal('api')]),
  reason: NullableText,
  at: Type.String(),
})

const Flag = Type.Object({
  rule: Type.String({ description: 'the fraud rule, e.g. `min_ctit_seconds`' }),
  observed: Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
  limit: Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
  action: Type.Union([Type.Literal('allow'), Type.Literal('hold'), Type.Literal('reject')]),
})

const Conversion = Type.Object(
  {
    id: Type.String(),
    click_id: Type.String(),
    offer_id: Type.String(),
    affiliate_id: Type.Optional(Type.String({ description: 'not shown to advertisers' })),
    advertiser_id: Type.Optional(
      Type.String({
        description: 'for admins, managers, analysts and the advertiser; not affiliates',
      }),
    ),
    goal: Type.String(),
    txid: NullableText,
    status: Status,
    reason: NullableText,
    amount: Type.Union([Type.Number(), Type.Null()]),
    revenue: Type.Optional(
      Type.Number({
        description: 'for admins, managers, analysts and the advertiser; not affiliates',
      }),
    ),
    payout: Type.Optional(Type.Number({ description: 'not shown to advertisers' })),
    reported_revenue: Type.Optional(
      Type.Union([Type.Number(), Type.Null()], {
        description:
          "the revenue the advertiser's postback reported (null: none); not shown to affiliates",
      }),
    ),
    currency: Type.String(),
    adv1: NullableText,
    adv2: NullableText,
    adv3: NullableText,
    adv4: NullableText,
    adv5: NullableText,
    sub1: NullableText,
    sub2: NullableText,
    sub3: NullableText,
    sub4: NullableText,
    sub5: NullableText,
    source: NullableText,
    country: NullableText,
    device: NullableText,
    clicked_at: Type.String(),
    seconds_to_convert: Type.Integer(),
    created_at: Type.String(),
    updated_at: Type.String(),
    flags: Type.Array(Flag, { description: 'the fraud rules it tripped; empty when clean' }),
    history: Type.Array(StatusChange),
  },
  {
    examples: [
      {
        id: '1',
        click_id: 'AgEBABVwYHD1JksWDPajSjkDqhkSqQ',
        offer_id: '1',
        affiliate_id: '1',
        advertiser_id: '1',
        goal: 'sale',
        txid: 'ORDER-1001',
        status: 'approved',
        reason: null,
        amount: 120,
        revenue: 18,
        payout: 12,
        reported_revenue: null,
        currency: 'USD',
        adv1: null,
        adv2: null,
        adv3: null,
        adv4: null,
        adv5: null,
        sub1: 'spring-sale',
        sub2: null,
        sub3: null,
        sub4: null,
        sub5: null,
        source: null,
        country: 'US',
        device: 'mobile',
        clicked_at: '2026-12-01T17:41:21.781Z',
        seconds_to_convert: 0,
        created_at: '2026-12-01T17:41:22.076Z',
        updated_at: '2026-12-01T17:41:22.076Z',
        flags: [],
        history: [
          {
            id: '1',
            from: null,
            to: 'approved',
            source: 'postback',
            reason: null,
            at: '2026-12-01T17:41:22.076Z',
          },
        ],
      },
    ],
  },
)

const ListQuery = Type.Object({
  ...PageQuery,
  offer_id: Type.Optional(Type.String()),
  affiliate_id: Type.Optional(Type.String()),
  advertiser_id: Type.Optional(Type.String()),
  status: Type.Optional(Status),
  goal: Type.Optional(Type.String()),
  click_id: Type.Optional(Type.String()),
  txid: Type.Optional(Type.String()),
  ...Object.fromEntries(
    [1, 2, 3, 4, 5].map((n) => [
      `adv${n}`,
      Type.Optional(Type.String({ description: `the advertiser's adv${n}, exactly` })),
    ]),
  ),
  reason: Type.Optional(
    Type.String({ description: 'e.g. `held` (the review queue), `cap_reached`, a rule name' }),
  ),
  flag: Type.Optional(
    Type.Union(
      [
        'any',
        'min_ctit_seconds',
        'bot_click',
        'datacenter_ip',
        'country_mismatch',
        'max_conversions_per_ip',
        'max_conversions_per_sub1',
      ].map((rule) => Type.Literal(rule)),
      { description: 'conversions that tripped this fraud rule; `any`: any rule' },
    ),
  ),
  from: Type.Optional(Type.String({ description: 'ISO date or datetime, inclusive' })),
  to: Type.Optional(Type.String({ description: 'ISO date (whole day) or datetime, inclusive' })),
})

const UpdateBody = Type.Object(
  {
    status: Type.String({ description: 'approved, pending or rejected' }),
    reason: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  },
  { examples: [{ status: 'rejected', reason: 'refund' }] },
)

const ReviewBody = Type.Object(
  {
    ids: Type.Array(Type.String(), { minItems: 1, maxItems: 200 }),
    status: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]),
    reason: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  },
  { examples: [{ ids: ['12', '13'], status: 'approved', reason: 'checked with the advertiser' }] },
)

const ReviewResponse = Type.Object({
  results: Type.Array(
    Type.Object({
      id: Type.String(),
      status: Type.Optional(Status),
      error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
    }),
  ),
})

const CapUsageResponse = Type.Object({
  time_zone: Type.String(),
  caps: Type.Array(
    Type.Object({
      metric: Type.Union([
        Type.Literal('conversions'),
        Type.Literal('payout'),
        Type.Literal('clicks'),
      ]),
      period: Type.Union([
        Type.Literal('day'),
        Type.Literal('week'),
        Type.Literal('month'),
        Type.Literal('total'),
      ]),
      limit: Type.Number(),
      affiliate_id: Type.Union([Type.String(), Type.Null()]),
      used: Type.Union([Type.Number(), Type.Null()], {
        description: 'so far in the current window; null for click caps',
      }),
      window_start: Type.String(),
    }),
  ),
})

/** Conversions under the API; affiliates and advertisers read their own and cannot change them. */
export function registerConversionRoutes(api: App, { database }: AppContext): void {
  const tags = ['conversions']
  const { db } = database

  api.get(
    '/conversions',
    {
      schema: {
        operationId: 'listConversions',
        summary: 'List conversions',
        description:
          "Any role. Newest first, in cursor pages, with each conversion's status history. Affiliates see their own, without `revenue` and `advertiser_id`; an advertiser its own offers', without `payout` and `affiliate_id`.",
        tags,
        querystring: ListQuery,
        response: { 200: PageOf(Conversion), ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const { limit = 50, ...filters } = request.query
      return listConversions(db, { limit, ...filters }, request.principal)
    },
  )
  api.get(
    '/conversions/:id',
    {
      schema: {
        operationId: 'getConversion',
        summary: 'Read a conversion',
        description:
          "Any role, with its status history. Affiliates see their own, without `revenue` and `advertiser_id`; an advertiser its own offers', without `payout` and `affiliate_id` (another is 404).",
        tags,
        params: IdParams,
        response: { 200: Conversion, ...ADMIN_ERRORS },
      },
    },
    async (request) =>
      getConversion(db, pathId(request.params.id, 'conversion'), request.principal),
  )
  api.patch(
    '/conversions/:id',
    {
      schema: {
        operationId: 'updateConversion',
        summary: "Change a conversion's status",
        description:
          'Admins and managers. `pending` → `approved` or `rejected`, `approved` → `rejected`; any other change is 409 `invalid_status_transition`; the current status again changes nothing. A change queues the matching postbacks.',
        tags,
        params: IdParams,
        body: UpdateBody,
        response: { 200: Conversion, ...ADMIN_ERRORS, 409: ErrorResponse },
      },
    },
    async (request) => {
      const id = pathId(request.params.id, 'conversion')
      return updateConversionStatus(db, id, request.body, request.principal)
    },
  )
  api.post(
    '/conversions/review',
    {
      schema: {
        operationId: 'reviewConversions',
        summary: 'Approve or reject many conversions',
        description:
          'Admins and managers; for the review queue (`status=pending&reason=held`). Each conversion changes as with `PATCH /conversions/{id}` (history, audit entry, postbacks); one that cannot (not found, already final) gets its error beside its id and the others still change.',
        tags,
        body: ReviewBody,
        response: { 200: ReviewResponse, ...ADMIN_ERRORS },
      },
    },
    async (request) => ({
      results: await reviewConversions(db, request.body, request.principal),
    }),
  )
  api.get(
    '/offers/:id/caps',
    {
      schema: {
        operationId: 'getOfferCapUsage',
        summary: "An offer's caps and their use",
        description:
          "Admins, managers and analysts. Each cap with what its current window (day, week or month in the offer's `time_zone`, or in total) has used.",
        tags: ['offers'],
        params: IdParams,
        response: { 200: CapUsageResponse, ...ADMIN_ERRORS },
      },
    },
    async (request) => capUsage(db, pathId(request.params.id, 'offer'), Date.now()),
  )
}
