import { Counter, Gauge, type Registry } from 'prom-client'
import { Type } from 'typebox'
import { checkDatabase } from '../db/check-database.ts'
import type { App } from './app.ts'
import type { AppContext } from './app-context.ts'
import { authorize } from './auth.ts'

const PING_TIMEOUT_MS = 2000

/**
 * `/healthz` tells the truth about the database, but only whether it is up: the reason it is not
 * (a driver message may name hosts, users or paths) goes to the log and to `/metrics`, which need
 * the admin key. `/metrics` is Prometheus text for admins.
 */
export function registerHealthRoutes(
  app: App,
  ctx: Pick<AppContext, 'config' | 'database' | 'metrics'>,
): void {
  const health = healthMetrics(ctx.metrics.registry)
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'getHealth',
        summary: 'Is the server and its database up',
        description:
          'No key needed. 200 only while the database answers (within 2 s); else 503 `{"status":"unavailable"}`, nothing more: the reason goes to the log and to /metrics (`backtrack_health_failures_total`).',
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
            { status: Type.Literal('unavailable') },
            {
              description:
                'the database does not answer (or the server is stopping); the reason is in the log and /metrics',
            },
          ),
        },
      },
    },
    async (request, reply) => {
      try {
        await withTimeout(checkDatabase(ctx.database), PING_TIMEOUT_MS)
        health.up.set(1)
        return { status: 'ok' as const }
      } catch (error) {
        const reason = error instanceof PingTimeout ? 'database_timeout' : 'database_error'
        health.up.set(0)
        health.failures.inc({ reason })
        request.log.warn({ err: error, reason }, 'health check failed')
        return reply.status(503).send({ status: 'unavailable' as const })
      }
    },
  )

  // Admins only: not in the route table (access/route-roles.ts), so the one gate says admin.
  app.get(
    '/metrics',
    {
      schema: { tags: ['operations'], hide: true },
      onRequest: authorize(ctx.database.db, ctx.config),
    },
    async (_request, reply) => {
      const body = await ctx.metrics.registry.metrics()
      return reply.type(ctx.metrics.registry.contentType).send(body)
    },
  )
}

// The health metrics of a registry, made on first use (the server and the worker's metrics
// server may register the routes on the same registry).
function healthMetrics(registry: Registry) {
  const up =
    (registry.getSingleMetric('backtrack_health_up') as Gauge | undefined) ??
    new Gauge({
      name: 'backtrack_health_up',
      help: '1 when the last /healthz found the database answering, 0 when not',
      registers: [registry],
    })
  const failures =
    (registry.getSingleMetric('backtrack_health_failures_total') as
      | Counter<'reason'>
      | undefined) ??
    new Counter({
      name: 'backtrack_health_failures_total',
      help: 'Failed /healthz checks by reason (database_timeout, database_error)',
      labelNames: ['reason'],
      registers: [registry],
    })
  return { up, failures }
}

class PingTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PingTimeout(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
