import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { ErrorResponse } from '../http/schemas.ts'
import { acceptPostback } from './accept-postback.ts'
import { addPostbackBodyParsers, type PostbackBody } from './postback-body.ts'
import { cachedContextLoader } from './postback-context-cache.ts'
import { handlePostbackError, postbackRefuser } from './postback-errors.ts'
import { postbackCommit } from './write-postbacks.ts'

const PostbackResponse = Type.Object({
  result: Type.Union([
    Type.Literal('accepted'),
    Type.Literal('duplicate'),
    Type.Literal('updated'),
    Type.Literal('rejected'),
  ]),
  conversion_id: Type.String(),
  status: Type.Union([Type.Literal('approved'), Type.Literal('pending'), Type.Literal('rejected')]),
  reason: Type.Optional(Type.String()),
})

/**
 * `GET|POST /postback`, public: authenticate → attribute → dedup → record. Registered as its own
 * plugin so its body parsers and its error handler (which logs refusals) apply to this route only.
 */
export async function postbackRoutes(
  app: App,
  { config, database, clicks }: AppContext,
): Promise<void> {
  const deps = {
    db: database.db,
    context: cachedContextLoader(database.db),
    commit: postbackCommit(database.db),
    clicks,
    clickRetentionDays: config.clickRetentionDays,
  }
  const refuse = postbackRefuser(deps.commit)
  addPostbackBodyParsers(app)
  app.setErrorHandler(handlePostbackError(refuse))
  app.route({
    method: ['GET', 'POST'],
    url: '/postback',
    // A HEAD must not record a conversion.
    exposeHeadRoute: false,
    schema: {
      tags: ['postbacks (inbound)'],
      security: [],
      description: 'Inbound postback from an advertiser. See API.md "Inbound postback".',
      response: { 200: PostbackResponse, 400: ErrorResponse, 401: ErrorResponse },
    },
    handler: async (request, reply) => {
      const queryAt = request.url.indexOf('?')
      const body = request.body as PostbackBody | undefined
      const call = {
        at: Date.now(),
        query: request.query,
        body,
        credentials: {
          method: request.method,
          headers: request.headers,
          rawQuery: queryAt === -1 ? '' : request.url.slice(queryAt + 1),
          rawBody: body?.raw ?? '',
          ip: request.ip,
        },
      }
      const answer = await acceptPostback(deps, call)
      if ('refusal' in answer) return refuse(request, reply, answer.refusal, call.at, answer.found)
      const { outcome } = answer
      return {
        result: outcome.result,
        conversion_id: String(outcome.conversionId),
        status: outcome.status,
        ...(outcome.reason ? { reason: outcome.reason } : {}),
      }
    },
  })
}
