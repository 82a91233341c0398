import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { pino } from 'pino'
import { registerAccessRoutes } from '../access/routes.ts'
import { registerCatalogRoutes } from '../catalog/routes.ts'
import {
  registerClickRoutes,
  registerTrackingLinkRoute,
  trackingLinkListener,
} from '../clicks/routes.ts'
import { postbackRoutes, registerConversionAdminRoutes } from '../conversions/routes.ts'
import { registerDeliveryRoutes } from '../delivery/routes.ts'
import { registerFraudRoutes } from '../fraud/routes.ts'
import { registerLiveRoutes, registerReportRoutes } from '../reports/routes.ts'
import type { AppContext } from './app-context.ts'
import { asCaller, authorize } from './auth.ts'
import { useJsonErrors } from './error-handler.ts'
import { registerHealthRoutes } from './health-routes.ts'
import { acceptEmptyJsonBodies } from './json-body.ts'
import { observeRequest } from './metrics.ts'
import { openApiOptions } from './openapi.ts'
import { limitAuthFailures } from './rate-limits.ts'
import { refuseNulCharacters } from './refuse-nul.ts'
import { RequestLogController } from './request-log.ts'
import { type FastPath, serverWithFastPath } from './server.ts'
import { type PageFallback, registerWebApp } from './web-app.ts'

export type App = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>

export const BODY_LIMIT_BYTES = 64 * 1024

export interface AppOptions {
  /** Pino options, or false for no logs (tests). */
  logger?: boolean | { level: string }
}

/** Builds the HTTP app without listening, so tests can use it in-process or on a port. */
export async function buildApp(ctx: AppContext, options: AppOptions = {}): Promise<App> {
  // Log lines are written asynchronously and in blocks of 8 kB, flushed at least every second: a
  // write per line costs a busy server more than everything else the line needs. Buffered lines
  // are flushed when the app closes; a crash loses at most the last second of them.
  const destination =
    options.logger === undefined
      ? pino.destination({ dest: 1, sync: false, minLength: 8 * 1024, periodicFlush: 1000 })
      : undefined
  // The tracking link is answered on plain node:http ahead of Fastify (see
  // tracking-link-listener.ts). It needs the app's logger, so it is attached once the app exists.
  let fastPath: FastPath = () => false
  const app: App = Fastify({
    logger: options.logger ?? { level: ctx.config.logLevel, stream: destination },
    logController: new RequestLogController(),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: ctx.config.trustProxy.length > 0 ? ctx.config.trustProxy : false,
    return503OnClosing: true,
    serverFactory: (handler, serverOptions) =>
      serverWithFastPath(handler, serverOptions, (request, response) =>
        fastPath(request, response),
      ),
  }).withTypeProvider<TypeBoxTypeProvider>()

  // The console's page fallback exists once its files are registered, below; the not-found
  // handler is set here, before any route, like the error handler and validators.
  let pageFallback: PageFallback | undefined
  useJsonErrors(app, (request, reply) => pageFallback?.(request, reply))
  acceptEmptyJsonBodies(app)
  app.addHook('onClose', async () => destination?.flushSync())
  const observe = observeRequest(ctx.metrics)
  app.addHook('onResponse', async (request, reply) => {
    observe(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime,
    )
  })
  const trackingLink = trackingLinkListener({
    tracker: ctx.clicks,
    trustProxy: ctx.config.trustProxy,
    observe,
    log: app.log,
  })
  fastPath = trackingLink.take
  // Closing, Fastify answers 503 to requests on open connections; the listener leaves it those.
  app.addHook('preClose', async () => trackingLink.stopTaking())

  await app.register(swagger, openApiOptions(ctx.config.publicUrl))
  await app.register(swaggerUi, { routePrefix: '/api/docs' })
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  pageFallback = await registerWebApp(app)

  registerHealthRoutes(app, ctx)
  registerTrackingLinkRoute(app, ctx)
  // Public, no bearer auth; its own body parsers and log hook stay inside its plugin.
  await app.register(async (scope: App) => postbackRoutes(scope, ctx))
  await app.register(
    async (api: App) => {
      limitAuthFailures(api, ctx)
      // Who may call each route is in access/route-roles.ts, checked before the body is read.
      api.addHook('onRoute', asCaller)
      api.addHook('onRequest', authorize(ctx.database.db, ctx.config))
      api.addHook('preValidation', refuseNulCharacters)
      registerAccessRoutes(api, ctx)
      registerCatalogRoutes(api, ctx)
      registerDeliveryRoutes(api, ctx)
      registerClickRoutes(api, ctx)
      registerConversionAdminRoutes(api, ctx)
      registerReportRoutes(api, ctx)
      registerLiveRoutes(api, ctx)
      registerFraudRoutes(api, ctx)
    },
    { prefix: '/api/v1' },
  )
  return app
}
