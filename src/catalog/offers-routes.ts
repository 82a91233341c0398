import { Type } from 'typebox'
import { type Principal, seesNetworkMoney } from '../access/index.ts'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { PageQuery } from '../http/pagination.ts'
import { ADMIN_ERRORS, Decimal, IdParams, PageOf, pathId } from '../http/schemas.ts'
import { FraudRulesBody } from './fraud-rules-schema.ts'
import { Cap, CapsBody } from './offer-caps.ts'
import { createOffer, getOffer, listOffers, type OfferAudience, updateOffer } from './offers.ts'

const Status = Type.Union([Type.Literal('active'), Type.Literal('paused')])
const RateType = Type.Union([Type.Literal('fixed'), Type.Literal('percent')])
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' })
const UrlTemplate = Type.String({ minLength: 1, maxLength: 4096 })

const GoalBody = Type.Object({
  key: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  revenue: Decimal,
  payout: Decimal,
  revenue_type: Type.Optional(RateType),
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
  revenue_type: Type.Optional(RateType),
  payout_type: Type.Optional(RateType),
  conversion_window_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  goals: Type.Optional(Type.Array(GoalBody, { maxItems: 100 })),
  time_zone: Type.Optional(
    Type.String({ maxLength: 64, description: 'IANA name; caps count days in it (default UTC)' }),
  ),
  caps: Type.Optional(CapsBody),
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
  revenue_type: Type.Optional(RateType),
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
    revenue_type: Type.Optional(RateType),
    payout: Type.Optional(Type.Number({ description: 'not shown to advertisers' })),
    payout_type: Type.Optional(RateType),
    conversion_window_days: Type.Integer(),
    goals: Type.Array(Goal),
    time_zone: Type.String(),
    caps: Type.Array(Cap),
    fraud: Type.Optional(
      Type.Union([FraudRulesBody, Type.Null()], {
        description:
          'for admins, managers, analysts and the advertiser: the rules this offer overrides',
      }),
    ),
    tracking_url: Type.String({
      description: 'the link to promote; `{affiliate_id}` is left to fill',
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
        time_zone: 'UTC',
        caps: [{ metric: 'conversions', period: 'day', limit: 100, affiliate_id: null }],
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
          'Any role. Newest first, in cursor pages. Affiliates see every offer without `advertiser_id`, `revenue` and `revenue_type`; an advertiser sees its own offers without `payout` and `payout_type`.',
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
          'Any role. Affiliates see it without `advertiser_id`, `revenue` and `revenue_type`; an advertiser sees only its own offers (another is 404), without `payout` and `payout_type`.',
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
