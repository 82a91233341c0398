import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { errorBody } from '../http/errors.ts'
import { QUIET_SUCCESS } from '../http/request-log.ts'
import { trackClick } from './track-click.ts'

/** Longer query strings are refused with 414, before any work. */
export const MAX_QUERY_LENGTH = 8192

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

/** `GET /c/{offer_id}`: the public tracking link. No auth, no cookie. */
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
      reply.header('cache-control', 'no-store')
      const queryStart = request.url.indexOf('?')
      if (queryStart >= 0 && request.url.length - queryStart - 1 > MAX_QUERY_LENGTH) {
        return reply
          .status(414)
          .send(
            errorBody('uri_too_long', `the query string is longer than ${MAX_QUERY_LENGTH} bytes`),
          )
      }
      const outcome = await trackClick(clicks, {
        offerId: request.params.offer_id,
        query: request.query,
        ip: plainIp(request.ip),
        userAgent: request.headers['user-agent'],
        referrer: request.headers.referer,
        now: Date.now(),
        record: request.method === 'GET',
      })
      switch (outcome.kind) {
        case 'redirect':
          return reply.status(302).header('location', outcome.location).send()
        case 'missing_affiliate':
          return reply
            .status(400)
            .send(
              errorBody('validation_failed', 'aff_id is required', [
                { field: 'aff_id', message: 'is required' },
              ]),
            )
        case 'not_found':
          return reply.status(404).type('text/plain; charset=utf-8').send(`${outcome.message}\n`)
      }
    },
  )
}

// A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d; store the address people know.
function plainIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip
}
