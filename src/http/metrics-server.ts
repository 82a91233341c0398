import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify from 'fastify'
import type { App } from './app.ts'
import type { AppContext } from './app-context.ts'
import { handleError } from './error-handler.ts'
import { errorBody } from './errors.ts'
import { registerHealthRoutes } from './health-routes.ts'
import { compileValidator } from './validation.ts'

export interface MetricsServer {
  /** Base URL it answers on, e.g. http://127.0.0.1:9464. */
  url: string
  close(): Promise<void>
}

/**
 * `/metrics` and `/healthz` alone, for a process with no API of its own (`backtrack worker`), so
 * its attempt counters can be scraped. The same routes, admin key and answers as the server's.
 */
export async function startMetricsServer(
  ctx: Pick<AppContext, 'config' | 'database' | 'metrics'>,
  port: number,
): Promise<MetricsServer> {
  const app: App = Fastify({ logger: false }).withTypeProvider<TypeBoxTypeProvider>()
  app.setValidatorCompiler(compileValidator)
  app.setErrorHandler(handleError)
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(errorBody('not_found', `no route for ${request.method} ${request.url.split('?')[0]}`)),
  )
  registerHealthRoutes(app, ctx)
  await app.listen({ port, host: ctx.config.host })
  const address = app.server.address()
  const actual = typeof address === 'object' && address ? address.port : port
  const host = ctx.config.host.includes(':') ? `[${ctx.config.host}]` : ctx.config.host
  return { url: `http://${host}:${actual}`, close: () => app.close() }
}
