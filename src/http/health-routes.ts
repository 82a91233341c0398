import { Type } from 'typebox'
import { checkDatabase } from '../db/check-database.ts'
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
        tags: ['operations'],
        security: [],
        response: {
          200: Type.Object({ status: Type.Literal('ok') }),
          503: Type.Object({ status: Type.Literal('unavailable'), error: Type.String() }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await withTimeout(checkDatabase(ctx.database), PING_TIMEOUT_MS)
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
