import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify from 'fastify'
import type { App } from './app.ts'
import type { AppContext } from './app-context.ts'
import { useJsonErrors } from './error-handler.ts'
import { registerHealthRoutes } from './health-routes.ts'

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
  useJsonErrors(app)
  registerHealthRoutes(app, ctx)
  await app.listen({ port, host: ctx.config.host })
  const address = app.server.address()
  const actual = typeof address === 'object' && address ? address.port : port
  const host = ctx.config.host.includes(':') ? `[${ctx.config.host}]` : ctx.config.host
  return { url: `http://${host}:${actual}`, close: () => app.close() }
}
