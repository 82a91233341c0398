import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { PageQuery } from '../http/pagination.ts'
import { ADMIN_ERRORS, IdParams, PageOf, pathId } from '../http/schemas.ts'
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listEndpoints,
  updateEndpoint,
} from './endpoints.ts'
import { hideSecrets, hideSecretsInPage } from './hide-secrets.ts'

const Method = Type.Union([Type.Literal('GET'), Type.Literal('POST')])
const ConversionStatus = Type.Union([
  Type.Literal('approved'),
  Type.Literal('pending'),
  Type.Literal('rejected'),
])
const GoalKeys = Type.Union([
  Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 100 }),
  Type.Null(),
])

const OwnerId = Type.Optional(Type.Union([Type.String(), Type.Null()]))
const Owner = Type.Union([
  Type.Literal('affiliate'),
  Type.Literal('advertiser'),
  Type.Literal('network'),
])

const postbackFields = {
  affiliate_id: OwnerId,
  advertiser_id: OwnerId,
  url: Type.String({ minLength: 1, maxLength: 4096 }),
  offer_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  method: Type.Optional(Method),
  body_template: Type.Optional(Type.Union([Type.String({ maxLength: 16384 }), Type.Null()])),
  content_type: Type.Optional(
    Type.Union([
      Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\r\\n]+$' }),
      Type.Null(),
    ]),
  ),
  goals: Type.Optional(GoalKeys),
  statuses: Type.Optional(Type.Array(ConversionStatus, { minItems: 1, maxItems: 3 })),
  sign: Type.Optional(Type.Boolean()),
}

const Endpoint = Type.Object(
  {
    id: Type.String(),
    owner: Owner,
    affiliate_id: Type.Union([Type.String(), Type.Null()]),
    advertiser_id: Type.Union([Type.String(), Type.Null()]),
    offer_id: Type.Union([Type.String(), Type.Null()]),
    url: Type.String(),
    method: Method,
    body_template: Type.Union([Type.String(), Type.Null()]),
    content_type: Type.Union([Type.String(), Type.Null()]),
    goals: GoalKeys,
    statuses: Type.Array(ConversionStatus),
    sign: Type.Boolean(),
    signing_secret: Type.Optional(Type.String({ description: 'whsec_… when sign is true' })),
    previous_signing_secret_expires_at: Type.Optional(
      Type.String({ description: 'while the rotated-out secret still signs alongside' }),
    ),
    enabled: Type.Boolean(),
    disabled_at: Type.Union([Type.String(), Type.Null()]),
    failing_since: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  {
    examples: [
      {
        id: '1',
        owner: 'affiliate',
        affiliate_id: '1',
        advertiser_id: null,
        offer_id: null,
        url: 'https://affiliate.example/pb?click={sub1}&payout={payout}&event={event_id}',
        method: 'GET',
        body_template: null,
        content_type: null,
        goals: null,
        statuses: ['approved'],
        sign: true,
        signing_secret: 'whsec_6xtqxjKlBDV3/34BhCHc2CC2TMlSOYPRRU3cUQlB/SE=',
        enabled: true,
        disabled_at: null,
        failing_since: null,
        created_at: '2026-12-01T17:41:19.291Z',
        updated_at: '2026-12-01T17:41:19.291Z',
      },
    ],
  },
)

const ListQuery = Type.Object({
  ...PageQuery,
  owner: Type.Optional(Owner),
  affiliate_id: Type.Optional(Type.String()),
  advertiser_id: Type.Optional(Type.String()),
  offer_id: Type.Optional(Type.String()),
})

// An affiliate key manages its own endpoints; other affiliates' endpoints are a 404 to it.
export function registerEndpointRoutes(api: App, { database, config }: AppContext): void {
  const tags = ['postbacks']
  const { db } = database

  api.post(
    '/postbacks',
    {
      schema: {
        operationId: 'createEndpoint',
        summary: 'Create a postback endpoint',
        description:
          "An endpoint Backtrack calls for conversions: an affiliate's (`affiliate_id`: its conversions), an advertiser's (`advertiser_id`: conversions of its offers; `{revenue}` filled, `{payout}` empty) or, with neither, the network's (every conversion). `url` and `body_template` may use the postback macros (docs/api.md, \"Postback macros\"). With `sign: true` the answer holds the `signing_secret`. An affiliate or advertiser creates endpoints for itself only; naming no owner means itself.",
        tags,
        body: Type.Object(postbackFields, {
          examples: [
            {
              affiliate_id: '1',
              url: 'https://affiliate.example/pb?click={sub1}&payout={payout}&event={event_id}',
              sign: true,
            },
          ],
        }),
        response: { 201: Endpoint, ...ADMIN_ERRORS },
      },
    },
    async (request, reply) => {
      return reply
        .status(201)
        .send(await createEndpoint(db, request.body, request.principal, config.allowPrivateTargets))
    },
  )
  api.get(
    '/postbacks',
    {
      schema: {
        operationId: 'listEndpoints',
        summary: 'List postback endpoints',
        description:
          'Newest first, in cursor pages. An affiliate or advertiser sees its own endpoints; analysts see no signing secrets.',
        tags,
        querystring: ListQuery,
        response: { 200: PageOf(Endpoint), ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const { limit = 50, ...filters } = request.query
      const page = await listEndpoints(db, { limit, ...filters }, request.principal)
      return hideSecretsInPage(page, request.principal)
    },
  )
  api.get(
    '/postbacks/:id',
    {
      schema: {
        operationId: 'getEndpoint',
        summary: 'Read a postback endpoint',
        description: "Another affiliate's or advertiser's endpoint, or a deleted one, is 404.",
        tags,
        params: IdParams,
        response: { 200: Endpoint, ...ADMIN_ERRORS },
      },
    },
    async (request) =>
      hideSecrets(
        await getEndpoint(db, pathId(request.params.id, 'postback'), request.principal),
        request.principal,
      ),
  )
  api.patch(
    '/postbacks/:id',
    {
      schema: {
        operationId: 'updateEndpoint',
        summary: 'Change a postback endpoint',
        description:
          'Only the fields sent change. `rotate_signing_secret: true` makes a new secret while the old one keeps signing for 24 h; `enabled: true` resumes an endpoint disabled after 24 h of failures.',
        tags,
        params: IdParams,
        body: Type.Partial(
          Type.Object({
            ...postbackFields,
            rotate_signing_secret: Type.Boolean({
              description: 'new secret; the old one keeps signing alongside for 24 h',
            }),
            enabled: Type.Boolean({ description: 'true resumes a disabled endpoint' }),
          }),
        ),
        response: { 200: Endpoint, ...ADMIN_ERRORS },
      },
    },
    async (request) =>
      updateEndpoint(
        db,
        pathId(request.params.id, 'postback'),
        request.body,
        request.principal,
        config.allowPrivateTargets,
      ),
  )
  api.delete(
    '/postbacks/:id',
    {
      schema: {
        operationId: 'deleteEndpoint',
        summary: 'Delete a postback endpoint',
        description:
          'Answers 204 with no body. No new deliveries; pending ones become `cancelled` in the same transaction; the endpoint and its delivery history stay readable through `GET /api/v1/deliveries`. A request body is not needed (an empty one is fine).',
        tags,
        params: IdParams,
        response: { 204: Type.Null(), ...ADMIN_ERRORS },
      },
    },
    async (request, reply) => {
      await deleteEndpoint(db, pathId(request.params.id, 'postback'), request.principal)
      return reply.status(204).send(null)
    },
  )
}
