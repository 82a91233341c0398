import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { QUIET_SUCCESS } from '../http/request-log.ts'
import { answerTrackingLink, plainIp, rawQueryOf } from './tracking-link.ts'

const SubId = Type.Union([Type.String(), Type.Array(Type.String())])

const Query = Type.Object({
  aff_id: Type.Optional(SubId),
  sub1: Type.Optional(SubId),
  sub2: Type.Optional(SubId),
  sub3: Type.Optional(SubId),
  sub4: Type.Optional(SubId),
  sub5: Type.Optional(SubId),
  source: Type.Optional(SubId),
})

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
        tags: ['clicks'],
        summary: 'Tracking link: records the click and redirects (302) to the offer',
        security: [],
        params: Type.Object({ offer_id: Type.String() }),
        querystring: Query,
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
