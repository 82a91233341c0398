import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { QUIET_SUCCESS } from '../http/request-log.ts'
import { errorResponse } from '../http/schemas.ts'
import { answerTrackingLink, plainIp, rawQueryOf } from './tracking-link.ts'

const SubValue = (description: string) =>
  Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description }))

// aff_id is optional here so that its absence gets the link's own 400, as on the raw listener.
// Other parameters are welcome: ad networks append their own to the links affiliates promote.
const Query = Type.Object(
  {
    aff_id: SubValue('the affiliate id; required (400 without it)'),
    sub1: SubValue("the affiliate's own value, stored with the click (up to 500 characters)"),
    sub2: SubValue('as sub1'),
    sub3: SubValue('as sub1'),
    sub4: SubValue('as sub1'),
    sub5: SubValue('as sub1'),
    source: SubValue('traffic source, stored like sub1'),
  },
  { additionalProperties: true },
)

/**
 * `GET /c/{offer_id}`: the public tracking link. No auth, no cookie. On a listening server the
 * raw listener (`tracking-link-listener.ts`) answers it before Fastify sees the request; this
 * route documents it and answers what the listener leaves (an id written with `%` escapes, a
 * server that is closing, `inject` in tests), both through `answerTrackingLink`.
 */
export function registerTrackingLinkRoute(app: App, { clicks }: AppContext): void {
  app.get(
    '/c/:offer_id',
    {
      config: QUIET_SUCCESS,
      schema: {
        operationId: 'trackClick',
        description:
          "The link affiliates promote. No key, no cookie. Records the click and answers 302 to the offer's `destination_url` with the click macros filled and URL-encoded; every answer has `Cache-Control: no-store`. A paused or unknown offer or affiliate goes to the offer's `fallback_url` (no click is recorded), else 404 in plain text. `HEAD` answers the same and records nothing.",
        tags: ['clicks'],
        summary: 'Tracking link: records the click and redirects (302) to the offer',
        security: [],
        params: Type.Object({ offer_id: Type.String({ description: 'the offer id' }) }),
        querystring: Query,
        // For the document only: the answers are sent pre-rendered (tracking-link.ts).
        response: {
          302: Type.Null({
            description:
              'To the destination URL with its macros filled, or to the fallback URL (no click recorded)',
            headers: {
              location: { type: 'string', description: 'where the visitor goes' },
              'cache-control': { type: 'string', description: 'always `no-store`' },
            },
          }),
          400: errorResponse('`validation_failed`: no `aff_id`'),
          404: {
            description:
              'Unknown offer, or paused offer or unknown or paused affiliate without a fallback URL: one line of plain text (`offer not found`, `offer paused`, `affiliate not found`)',
            content: { 'text/plain': { schema: Type.String() } },
          },
          414: errorResponse('`uri_too_long`: a query string over 8 kB'),
        } as Record<number, unknown>,
      },
    },
    async (request, reply) => {
      const catalog = clicks.catalog.current() ?? (await clicks.catalog.catchUp())
      const answer = answerTrackingLink(clicks, catalog, {
        offerId: request.params.offer_id,
        rawQuery: rawQueryOf(request.url),
        ip: plainIp(request.ip),
        userAgent: request.headers['user-agent'],
        referrer: request.headers.referer,
        method: request.method,
        now: Date.now(),
      })
      reply.header('cache-control', 'no-store').status(answer.status)
      if (answer.status === 302) {
        await answer.slowDown
        return reply.header('location', answer.location).send()
      }
      return reply.type(answer.contentType).send(answer.body)
    },
  )
}
