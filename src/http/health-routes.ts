import { Type } from 'typebox'
import type { App } from './app.ts'
import type { AppContext } from './app-context.ts'
import { bearerAuth, requireAdmin } from './auth.ts'

const PING_TIMEOUT_MS = 2000

/** `/healthz` tells the truth about the database; `/metrics` is Prometheus text for admins. */
export function registerHealthRoutes(
  app: App,
  ctx: Pick<AppContext, 'config' | 'database' | 'metrics'>,
): void {
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'getHealth',
        summary: 'Is the server and its database up',
        description:
          'No key needed. 200 only while the database answers (within 2 s); else 503 with the reason.',
        tags: ['operations'],
        security: [],
        response: {
          200: Type.Object(
            { status: Type.Literal('ok') },
            { description: 'the database answers', examples: [{ status: 'ok' }] },
          ),
          // Node.js and Fastify refuse oversized heads before any route, in this shape.
          431: Type.Object(
            { error: Type.String(), message: Type.String(), statusCode: Type.Integer() },
            { description: 'request line and headers over 16 kB' },
          ),
          503: Type.Object(
            { status: Type.Literal('unavailable'), error: Type.String() },
            { description: 'the database does not answer (or the server is stopping)' },
          ),
        },
      },
    },
    async (_request, reply) => {
      try {
        await withTimeout(ctx.database.ping(), PING_TIMEOUT_MS)
        return { status: 'ok' as const }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        return reply
          .status(503)
          .send({ status: 'unavailable' as const, error: `database: ${message}` })
      }
    },
  )

  const auth = bearerAuth(ctx.database.db, ctx.config.adminKey)
  app.get(
    '/metrics',
    { schema: { tags: ['operations'], hide: true }, onRequest: auth },
    async (request, reply) => {
      requireAdmin(request.principal)
      const body = await ctx.metrics.registry.metrics()
      return reply.type(ctx.metrics.registry.contentType).send(body)
    },
  )
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
