import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { limitPostbackRefusals } from '../http/rate-limits.ts'
import { ErrorResponse } from '../http/schemas.ts'
import { acceptPostback } from './accept-postback.ts'
import { addBodyParams, addPostbackBodyParsers, type PostbackBody } from './postback-body.ts'
import { cachedContextLoader } from './postback-context-cache.ts'
import { handlePostbackError } from './postback-errors.ts'
import { logDraft, logRefusedPostbacks, traceOf } from './postback-trace.ts'
import { sampleRefusalLogs } from './sampled-refusals.ts'
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
 * plugin so its body parsers and its log hook apply to this route only.
 */
export async function postbackRoutes(app: App, ctx: AppContext): Promise<void> {
  const { config, database, clicks } = ctx
  const deps = {
    db: database.db,
    context: cachedContextLoader(database.db),
    commit: postbackCommit(database.db),
    clicks,
    clickRetentionDays: config.clickRetentionDays,
  }
  addPostbackBodyParsers(app)
  app.setErrorHandler(handlePostbackError)
  limitPostbackRefusals(app, ctx)
  app.addHook('onSend', sampleRefusalLogs(ctx.metrics.registry))
  app.addHook('onSend', logRefusedPostbacks(deps.commit))
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
    handler: async (request) => {
      const trace = traceOf(request)
      const body = request.body as PostbackBody | undefined
      addBodyParams(trace.raw, body)
      const queryAt = request.url.indexOf('?')
      const outcome = await acceptPostback(deps, {
        at: trace.at,
        params: trace.raw,
        credentials: {
          method: request.method,
          headers: request.headers,
          rawQuery: queryAt === -1 ? '' : request.url.slice(queryAt + 1),
          rawBody: body?.raw ?? '',
          ip: request.ip,
        },
        findings: trace,
        logDraft: () => logDraft(request, trace),
      })
      trace.logged = true
      return {
        result: outcome.result,
        conversion_id: String(outcome.conversionId),
        status: outcome.status,
        ...(outcome.reason ? { reason: outcome.reason } : {}),
      }
    },
  })
}
