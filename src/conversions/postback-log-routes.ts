import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { PageQuery } from '../http/pagination.ts'
import { ADMIN_ERRORS, PageOf } from '../http/schemas.ts'
import { listPostbackLog } from './postback-log.ts'

const Result = Type.Union([
  Type.Literal('accepted'),
  Type.Literal('duplicate'),
  Type.Literal('updated'),
  Type.Literal('rejected'),
  Type.Literal('error'),
])
const NullableText = Type.Union([Type.String(), Type.Null()])

const Warning = Type.Object({
  code: Type.Union([Type.Literal('unused_amount'), Type.Literal('unused_revenue')]),
  parameter: Type.String(),
  message: Type.String(),
})

const LogEntry = Type.Object({
  id: Type.String(),
  at: Type.String(),
  method: Type.String(),
  ip: Type.String(),
  params: Type.Record(Type.String(), Type.Unknown(), {
    description: 'every parameter received, secrets masked',
  }),
  auth: NullableText,
  http_status: Type.Integer(),
  result: Result,
  reason: NullableText,
  message: NullableText,
  conversion_id: NullableText,
  click_id: NullableText,
  offer_id: NullableText,
  advertiser_id: NullableText,
  warnings: Type.Array(Warning, {
    description: 'money parameters an accepted call sent that its goal does not use',
  }),
})

const ListQuery = Type.Object({
  ...PageQuery,
  result: Type.Optional(Result),
  reason: Type.Optional(Type.String({ description: 'error code or duplicate reason' })),
  advertiser_id: Type.Optional(Type.String()),
  offer_id: Type.Optional(Type.String()),
  click_id: Type.Optional(Type.String()),
  conversion_id: Type.Optional(Type.String()),
  from: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
})

/** The inbound postback log: how an advertiser integration gets debugged. Staff, and an advertiser for its own calls. */
export function registerPostbackLogRoutes(api: App, { database }: AppContext): void {
  api.get(
    '/postback-log',
    {
      schema: {
        operationId: 'listPostbackLog',
        summary: 'List inbound postback calls',
        description:
          'Every call to `/postback`, refused ones included: time, method, IP, parameters (secrets masked), how it authenticated, HTTP status, result, reason and the ids it reached. Newest first, in cursor pages. Admins, managers and analysts; an advertiser sees the calls made with its own token (404 for affiliates).',
        tags: ['postbacks (inbound)'],
        querystring: ListQuery,
        response: { 200: PageOf(LogEntry), ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const { limit = 50, ...filters } = request.query
      // An advertiser sees the calls made with its own token, whatever it asks for.
      const { principal } = request
      if (principal.role === 'advertiser') filters.advertiser_id = String(principal.advertiserId)
      return listPostbackLog(database.db, { limit, ...filters })
    },
  )
}
