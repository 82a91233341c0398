import { Type } from 'typebox'
import { type Principal, seesNetworkMoney } from '../access/index.ts'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { PageQuery } from '../http/pagination.ts'
import { ADMIN_ERRORS, Decimal, IdParams, PageOf, pathId } from '../http/schemas.ts'
import { FraudRulesBody } from './fraud-rules-schema.ts'
import { CapsSchema, CapViewSchema } from './offer-caps.ts'
import { TargetingSchema } from './offer-targeting.ts'
import { createOffer, getOffer, listOffers, type OfferAudience, updateOffer } from './offers.ts'

const Status = Type.Union([Type.Literal('active'), Type.Literal('paused')])
const RateType = Type.Union([Type.Literal('fixed'), Type.Literal('percent')])
/** `reported`: the revenue each postback sends (`revenue` or `payout`); the rate is then 0. */
const RevenueType = Type.Union([
  Type.Literal('fixed'),
  Type.Literal('percent'),
  Type.Literal('reported'),
])
export const Visibility = Type.Union(
  [Type.Literal('public'), Type.Literal('approval'), Type.Literal('private')],
  {
    description:
      '`public`: every affiliate may run it; `approval`: an affiliate asks and a manager decides; `private`: only affiliates granted it',
  },
)
const Access = Type.Union(
  [
    Type.Literal('granted'),
    Type.Literal('pending'),
    Type.Literal('declined'),
    Type.Literal('requestable'),
  ],
  {
    description:
      'affiliates only: `granted` (it may run the offer), `pending` (its request waits), `declined` (its last request was declined; it may ask again), `requestable` (an approval offer it has not asked for)',
  },
)
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })
const UrlTemplate = Type.String({ minLength: 1, maxLength: 4096 })

const GoalBody = Type.Object({
  key: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  revenue: Decimal,
  payout: Decimal,
  revenue_type: Type.Optional(RevenueType),
  payout_type: Type.Optional(RateType),
  allow_multiple: Type.Optional(Type.Boolean()),
})

const offerFields = {
  advertiser_id: Type.String(),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  destination_url: UrlTemplate,
  fallback_url: Type.Optional(Type.Union([UrlTemplate, Type.Null()])),
  status: Type.Optional(Status),
  currency: Type.Optional(Currency),
  revenue: Decimal,
  payout: Decimal,
  revenue_type: Type.Optional(RevenueType),
  payout_type: Type.Optional(RateType),
  conversion_window_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  visibility: Type.Optional(Visibility),
  goals: Type.Optional(Type.Array(GoalBody, { maxItems: 100 })),
  time_zone: Type.Optional(
    Type.String({
      maxLength: 64,
      description: 'IANA zone of the schedule and cap periods; UTC by default',
    }),
  ),
  targeting: Type.Optional(Type.Union([TargetingSchema, Type.Null()])),
  caps: Type.Optional(Type.Union([CapsSchema, Type.Null()])),
  fraud: Type.Optional(
    Type.Union([FraudRulesBody, Type.Null()], {
      description: "rules that replace the network's defaults on this offer",
    }),
  ),
}

const CreateBody = Type.Object(offerFields, {
  examples: [
    {
      advertiser_id: '1',
      name: 'Acme Shoes US',
      destination_url: 'https://shop.example/landing?click={click_id}&s1={sub1}',
      revenue: '2.50',
      payout: '1.75',
      goals: [
        {
          key: 'sale',
          revenue: 15,
          revenue_type: 'percent',
          payout: 10,
          payout_type: 'percent',
          allow_multiple: true,
        },
      ],
    },
  ],
})
const UpdateBody = Type.Partial(Type.Object(offerFields))

const Goal = Type.Object({
  key: Type.String(),
  name: Type.String(),
  revenue: Type.Optional(Type.Number()),
  revenue_type: Type.Optional(RevenueType),
  payout: Type.Optional(Type.Number({ description: 'not shown to advertisers' })),
  payout_type: Type.Optional(RateType),
  allow_multiple: Type.Boolean(),
})

const Offer = Type.Object(
  {
    id: Type.String(),
    advertiser_id: Type.Optional(
      Type.String({
        description: 'for admins, managers, analysts and the advertiser; not affiliates',
      }),
    ),
    name: Type.String(),
    destination_url: Type.String(),
    fallback_url: Type.Union([Type.String(), Type.Null()]),
    status: Status,
    currency: Type.String(),
    revenue: Type.Optional(
      Type.Number({
        description: 'for admins, managers, analysts and the advertiser; not affiliates',
      }),
    ),
    revenue_type: Type.Optional(RevenueType),
    payout: Type.Optional(Type.Number({ description: 'not shown to advertisers' })),
    payout_type: Type.Optional(RateType),
    conversion_window_days: Type.Integer(),
    visibility: Visibility,
    access: Type.Optional(Access),
    goals: Type.Array(Goal),
    time_zone: Type.String(),
    targeting: Type.Union([TargetingSchema, Type.Null()]),
    caps: Type.Array(CapViewSchema),
    fraud: Type.Optional(
      Type.Union([FraudRulesBody, Type.Null()], {
        description:
          'for admins, managers, analysts and the advertiser: the rules this offer overrides',
      }),
    ),
    tracking_url: Type.String({
      description:
        "the link to promote; `{affiliate_id}` is left to fill, except for an affiliate's caller, whose own id is in it",
    }),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  {
    examples: [
      {
        id: '1',
        advertiser_id: '1',
        name: 'Acme Shoes US',
        destination_url: 'https://shop.example/landing?click={click_id}&s1={sub1}',
        fallback_url: null,
        status: 'active',
        currency: 'USD',
        revenue: 2.5,
        revenue_type: 'fixed',
        payout: 1.75,
        payout_type: 'fixed',
        conversion_window_days: 30,
        visibility: 'public',
        goals: [
          {
            key: 'sale',
            name: 'sale',
            revenue: 15,
            revenue_type: 'percent',
            payout: 10,
            payout_type: 'percent',
            allow_multiple: true,
          },
        ],
        time_zone: 'America/New_York',
        targeting: {
          countries: { allow: ['US', 'CA'] },
          schedule: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '20:00' }],
        },
        caps: [
          { metric: 'clicks', period: 'day', limit: 5000, affiliate_id: null },
          { metric: 'conversions', period: 'day', limit: 100, affiliate_id: null },
        ],
        fraud: null,
        tracking_url: 'https://track.example/c/1?aff_id={affiliate_id}',
        created_at: '2026-12-01T17:41:19.152Z',
        updated_at: '2026-12-01T17:41:19.152Z',
      },
    ],
  },
)

const ListQuery = Type.Object({
  ...PageQuery,
  advertiser_id: Type.Optional(Type.String()),
  status: Type.Optional(Status),
  visibility: Type.Optional(Visibility),
})

// Affiliates may read offers (they need tracking links) without the advertiser or revenue.
export function registerOfferRoutes(api: App, { config, database }: AppContext): void {
  const tags = ['offers']
  const { db } = database
  const audienceOf = (principal: Principal): OfferAudience => ({
    publicUrl: config.publicUrl,
    admin: seesNetworkMoney(principal) || principal.role === 'advertiser',
    payouts: principal.role !== 'advertiser',
    ...(principal.role === 'advertiser' ? { advertiserId: principal.advertiserId } : {}),
    ...(principal.role === 'affiliate' ? { affiliateId: principal.affiliateId } : {}),
  })

  api.post(
    '/offers',
    {
      schema: {
        operationId: 'createOffer',
        summary: 'Create an offer',
        description:
          'Admins and managers. Money is in the offer\'s `currency`; `destination_url` may use the click macros (docs/api.md, "Click macros"). The answer holds the `tracking_url` to give affiliates.',
        tags,
        body: CreateBody,
        response: { 201: Offer, ...ADMIN_ERRORS },
      },
    },
    async (request, reply) => {
      const offer = await createOffer(db, request.body, audienceOf(request.principal))
      return reply.status(201).send(offer)
    },
  )
  api.get(
    '/offers',
    {
      schema: {
        operationId: 'listOffers',
        summary: 'List offers',
        description:
          'Any role. Newest first, in cursor pages. An affiliate sees the public and approval offers and the private ones it was granted, each with its `access`, its own payout and its own `tracking_url`, without `advertiser_id`, `revenue` and `revenue_type`; an advertiser sees its own offers without `payout` and `payout_type`.',
        tags,
        querystring: ListQuery,
        response: { 200: PageOf(Offer), ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const { limit = 50, ...filters } = request.query
      return listOffers(db, { limit, ...filters }, audienceOf(request.principal))
    },
  )
  api.get(
    '/offers/:id',
    {
      schema: {
        operationId: 'getOffer',
        summary: 'Read an offer',
        description:
          'Any role. An affiliate sees it with its `access`, its own payout and its own `tracking_url`, without `advertiser_id`, `revenue` and `revenue_type` (a private offer it was not granted is 404); an advertiser sees only its own offers (another is 404), without `payout` and `payout_type`.',
        tags,
        params: IdParams,
        response: { 200: Offer, ...ADMIN_ERRORS },
      },
    },
    async (request) =>
      getOffer(db, pathId(request.params.id, 'offer'), audienceOf(request.principal)),
  )
  api.patch(
    '/offers/:id',
    {
      schema: {
        operationId: 'updateOffer',
        summary: 'Change an offer',
        description:
          'Admins and managers. Only the fields sent change; `goals`, when sent, replaces the whole set.',
        tags,
        params: IdParams,
        body: UpdateBody,
        response: { 200: Offer, ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const id = pathId(request.params.id, 'offer')
      return updateOffer(db, id, request.body, audienceOf(request.principal))
    },
  )
}
