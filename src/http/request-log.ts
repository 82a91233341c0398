import { type FastifyReply, type FastifyRequest, LogController } from 'fastify'
import { isRequestLogSkipped } from './refusal-sampler.ts'

// Secrets that can travel in a query string (the advertiser's postback token, mostly).
const SECRET_PARAMS = /([?&](?:token|security_token|api_key|key|secret)=)[^&#]*/gi

/** The longest URL a request log line keeps; a flood of huge query strings stays small on disk. */
export const MAX_LOGGED_URL_CHARS = 2048

/** Masks secret query parameters so a URL can be logged. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1***')
}

/** One structured line per request, written when the response is done, with secrets masked. */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    logRequest(request, reply, error ?? undefined)
  }
}

/**
 * Route config of a route whose successful answers are logged at debug level only: the tracking
 * link, whose every redirect is already recorded as a click row. A line per click would be the
 * largest cost of a redirect and tens of millions of lines a day; its errors are still logged.
 */
export const QUIET_SUCCESS = { quietSuccess: true } as const

function logRequest(request: FastifyRequest, reply: FastifyReply, error: Error | undefined): void {
  if (isRequestLogSkipped(request)) return
  const quiet =
    reply.statusCode < 400 &&
    (request.routeOptions.config as { quietSuccess?: boolean } | undefined)?.quietSuccess === true
  const level = error ? 'error' : quiet ? 'debug' : 'info'
  // Building the line (and masking the URL) is skipped when nothing would be written.
  const log = request.log as { isLevelEnabled?: (level: string) => boolean }
  if (!log.isLevelEnabled?.(level)) return
  request.log[level](
    {
      method: request.method,
      url: boundedUrl(request.url),
      route: request.routeOptions.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 100) / 100,
      ip: request.ip,
      ...(error ? { err: error } : {}),
    },
    'request',
  )
}

function boundedUrl(url: string): string {
  const masked = redactUrl(url)
  return masked.length <= MAX_LOGGED_URL_CHARS
    ? masked
    : `${masked.slice(0, MAX_LOGGED_URL_CHARS)}… (${masked.length} chars)`
}
