import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from './app.ts'

/** The built console (`npm run build:web`, run by `npm ci` and `npm start`). */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url))

// Vite names every asset after its content's hash, so a cached copy is never stale; index.html
// is the one file that changes under the same name, so browsers must ask each time.
const ASSET_CACHE = 'public, max-age=31536000, immutable'
const PAGE_CACHE = 'no-cache'

// What the server answers itself; an unknown path under them is a 404 in the API's shape. A
// prefix is a whole path segment: `/postback` is the server's, `/postbacks` a console page.
const SERVER_PREFIXES = ['/api', '/c', '/postback', '/healthz', '/metrics']

/** Answers a request no route took with the console's page, or returns undefined. */
export type PageFallback = (
  request: FastifyRequest,
  reply: FastifyReply,
) => FastifyReply | undefined

/**
 * Serves the console at `/`: its files from web/dist, and, through the returned fallback that the
 * not-found handler asks first, index.html for any other GET of a page (a bookmarked
 * `/offers?status=paused`), so the app's router takes it from there. A fallback rather than a
 * `/*` route: a catch-all route would also catch what the router refuses itself (a tracking
 * link's offer id over 100 characters is a 414).
 */
export async function registerWebApp(app: App, dist = WEB_DIST): Promise<PageFallback | undefined> {
  if (!existsSync(join(dist, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .header('cache-control', PAGE_CACHE)
        .send('The web console is not built: run `npm run build:web`, then reload.\n'),
    )
    return undefined
  }
  await app.register(fastifyStatic, {
    root: dist,
    // Routes for the files present at start, not a catch-all: unknown paths reach the fallback.
    wildcard: false,
    // build-web.ts writes .br and .gz beside each file; the smaller one a browser takes is sent.
    preCompressed: true,
    cacheControl: false,
    schemaHide: true,
    setHeaders: (reply, path) =>
      reply.header('cache-control', path.includes('/assets/') ? ASSET_CACHE : PAGE_CACHE),
  })
  return pageFallback
}

function pageFallback(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined
  const path = request.url.split('?')[0] ?? '/'
  const isServerPath = SERVER_PREFIXES.some(
    (prefix) => path === prefix || path.startsWith(`${prefix}/`),
  )
  if (isServerPath || !acceptsHtml(request)) return undefined
  return reply.status(200).header('cache-control', PAGE_CACHE).sendFile('index.html')
}

/** A browser navigating names text/html; fetch, curl and asset loads ask for `*\/*` or JSON. */
function acceptsHtml(request: FastifyRequest): boolean {
  return request.headers.accept?.includes('text/html') ?? false
}
