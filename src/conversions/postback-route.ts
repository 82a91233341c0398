import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { limitPostbackRefusals } from '../http/rate-limits.ts'
import { errorResponse } from '../http/schemas.ts'
import { acceptPostback } from './accept-postback.ts'
import { addPostbackBodyParsers, type PostbackBody } from './postback-body.ts'
import { cachedContextLoader } from './postback-context-cache.ts'
import { handlePostbackError, postbackRefuser } from './postback-errors.ts'
import { PostbackParamsDoc, SignatureHeadersDoc } from './postback-params-doc.ts'
import { refusalLogSampler } from './sampled-refusals.ts'
import { postbackCommit } from './write-postbacks.ts'

const PostbackResponse = Type.Object(
  {
    result: Type.Union([
      Type.Literal('accepted'),
      Type.Literal('duplicate'),
      Type.Literal('updated'),
      Type.Literal('rejected'),
    ]),
    conversion_id: Type.String(),
    status: Type.Union([
      Type.Literal('approved'),
      Type.Literal('pending'),
      Type.Literal('rejected'),
    ]),
    reason: Type.Optional(
      Type.String({ description: 'outside_window, duplicate_txid or goal_already_converted' }),
    ),
    warnings: Type.Optional(
      Type.Array(
        Type.Object({
          code: Type.Union([Type.Literal('unused_amount'), Type.Literal('unused_revenue')]),
          parameter: Type.String(),
          message: Type.String(),
        }),
        { description: 'money parameters the call sent that its goal does not use' },
      ),
    ),
  },
  { examples: [{ result: 'accepted', conversion_id: '1', status: 'approved' }] },
)

/**
 * `GET|POST /postback`, public: authenticate → attribute → dedup → record. Registered as its own
 * plugin so its body parsers and its error handler (which logs refusals) apply to this route only.
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
  const refuse = postbackRefuser(deps.commit, refusalLogSampler(ctx.metrics.registry))
  addPostbackBodyParsers(app)
  app.setErrorHandler(handlePostbackError(refuse))
  limitPostbackRefusals(app, ctx)
  app.route({
    method: ['GET', 'POST'],
    url: '/postback',
    // A HEAD must not record a conversion.
    exposeHeadRoute: false,
    schema: {
      operationId: 'receivePostback',
      summary: 'Report a conversion (advertiser postback)',
      description:
        'Public; authenticated by the advertiser\'s `token` parameter or a Standard Webhooks signature. Parameters may come in the query string, a form body or a JSON body, under their names or aliases (docs/api.md, "Inbound postback"). A 200 means the conversion and its outbound postbacks are durably stored. Malformed calls are 400 whatever the reason, so advertiser platforms see one refusal status.',
      tags: ['postbacks (inbound)'],
      security: [],
      documentedOnly: {
        querystring: PostbackParamsDoc,
        headers: SignatureHeadersDoc,
        body: PostbackParamsDoc,
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
      },
      response: {
        200: PostbackResponse,
        400: errorResponse(
          'malformed: `missing_click_id`, `invalid_click_id`, `invalid_amount`, `missing_revenue`, `unknown_goal`, `invalid_status`, `currency_mismatch`, `duplicate_parameter`, `invalid_json`, `unsupported_content_type`, `body_too_large`, …',
        ),
        401: errorResponse('`invalid_token` or `invalid_signature`'),
        403: errorResponse("`ip_not_allowed`: outside the advertiser's allowlist"),
        404: errorResponse("`unknown_click`: the click's offer no longer exists"),
        409: errorResponse('`invalid_status_transition`: a status change the lifecycle forbids'),
        410: errorResponse('`click_purged`: the click record was deleted by retention'),
        429: errorResponse(
          '`rate_limited`: too many refused calls from this address (`Retry-After` says when to try again)',
        ),
      },
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
        ...(outcome.warnings ? { warnings: outcome.warnings } : {}),
      }
    },
  })
}
