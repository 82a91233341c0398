import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { PageQuery } from '../http/pagination.ts'
import {
  ADMIN_ERRORS,
  ErrorResponse,
  errorResponse,
  IdParams,
  PageOf,
  pathId,
} from '../http/schemas.ts'
import { listDeliveries, retryDeliveries, retryDelivery } from './deliveries.ts'
import { deliveryMetrics } from './delivery-metrics.ts'
import { AttemptSender } from './send-attempt.ts'
import { testEndpoint } from './test-endpoint.ts'
import { TEST_SENDS_PER_MINUTE, TestSendLimit } from './test-send-limit.ts'

const State = Type.Union([
  Type.Literal('pending'),
  Type.Literal('delivered'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
])
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(type: T) =>
  Type.Union([type, Type.Null()])

const Attempt = Type.Object({
  at: Type.String(),
  status_code: Nullable(Type.Integer()),
  duration_ms: Type.Integer(),
  error: Nullable(Type.String()),
  response_body: Nullable(Type.String({ description: 'the first 1 kB of the response' })),
})

const Delivery = Type.Object({
  id: Type.String(),
  postback_id: Type.String(),
  conversion_id: Type.String(),
  event_id: Type.String(),
  state: State,
  attempts: Type.Array(Attempt),
  next_attempt_at: Nullable(Type.String()),
  request: Type.Object({
    method: Type.String(),
    url: Type.String(),
    content_type: Nullable(Type.String()),
    body: Nullable(Type.String()),
  }),
  created_at: Type.String(),
  updated_at: Type.String(),
})

const Filter = {
  conversion_id: Type.Optional(Type.String()),
  postback_id: Type.Optional(Type.String()),
  state: Type.Optional(State),
  from: Type.Optional(Type.String({ description: 'ISO date or datetime; queued at or after' })),
  to: Type.Optional(Type.String({ description: 'ISO date or datetime; queued up to' })),
}

const Headers = Type.Record(Type.String(), Type.String())
const TestResult = Type.Object({
  request: Type.Object({
    method: Type.String(),
    url: Type.String(),
    content_type: Nullable(Type.String()),
    body: Nullable(Type.String()),
    headers: Headers,
  }),
  response: Type.Object({
    outcome: Type.String(),
    status_code: Nullable(Type.Integer()),
    headers: Headers,
    body: Nullable(Type.String()),
    duration_ms: Type.Integer(),
    error: Nullable(Type.String()),
  }),
})

/** Deliveries (list, retry, bulk replay) and the test send of a postback endpoint. */
export function registerDeliveryRoutes(api: App, ctx: AppContext): void {
  const tags = ['deliveries']
  const { db } = ctx.database
  deliveryMetrics(ctx.metrics.registry, db)
  const sender = new AttemptSender({ allowPrivateTargets: ctx.config.allowPrivateTargets })
  api.addHook('onClose', () => sender.close())
  const testSends = new TestSendLimit()

  api.get(
    '/deliveries',
    {
      schema: {
        operationId: 'listDeliveries',
        summary: 'List deliveries',
        description:
          "Each delivery is one postback to one endpoint, with every attempt (status code, duration, error, the first 1 kB of the answer) and when the next one is due. Newest first, in cursor pages; an affiliate key sees its own endpoints' deliveries.",
        tags,
        querystring: Type.Object({ ...PageQuery, ...Filter }),
        response: { 200: PageOf(Delivery), ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const { limit = 50, ...filter } = request.query
      return listDeliveries(db, { limit, ...filter }, request.principal)
    },
  )
  api.post(
    '/deliveries/retry',
    {
      schema: {
        operationId: 'retryDeliveries',
        summary: 'Replay deliveries in bulk',
        description:
          'Queues every delivery matching the filters again now, with the same event id and a fresh retry schedule. `state` defaults to `failed`; deliveries of deleted endpoints are left out. Answers how many were queued.',
        tags,
        body: Type.Object(Filter),
        response: { 200: Type.Object({ queued: Type.Integer() }), ...ADMIN_ERRORS },
      },
    },
    async (request) => retryDeliveries(db, request.body, request.principal),
  )
  api.post(
    '/deliveries/:id/retry',
    {
      schema: {
        operationId: 'retryDelivery',
        summary: 'Retry one delivery now',
        description:
          'Queues the delivery again now, with the same event id and a fresh retry schedule. 409 `conflict` while it is being sent, or when its endpoint was deleted. No request body is needed (an empty one is fine).',
        tags,
        params: IdParams,
        response: { 200: Delivery, ...ADMIN_ERRORS, 409: ErrorResponse },
      },
    },
    async (request) => retryDelivery(db, pathId(request.params.id, 'delivery'), request.principal),
  )
  api.post(
    '/postbacks/:id/test',
    {
      schema: {
        operationId: 'testEndpoint',
        summary: 'Send a test postback',
        description:
          "Renders the endpoint's templates with sample values and an `evt_test_…` event id, sends it through the same client, address guard and signing as real deliveries, and answers the request and the response. Nothing is queued or recorded. No request body is needed (an empty one is fine).",
        tags: ['postbacks'],
        params: IdParams,
        response: {
          200: TestResult,
          ...ADMIN_ERRORS,
          429: errorResponse(
            `\`rate_limited\`: an affiliate key's ${TEST_SENDS_PER_MINUTE} test sends a minute are spent; see \`Retry-After\``,
          ),
        },
      },
    },
    async (request, reply) => {
      testSends.enforce(request.principal, reply)
      return testEndpoint(db, sender, pathId(request.params.id, 'postback'), request.principal)
    },
  )
}
