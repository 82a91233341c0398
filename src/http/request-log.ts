import { type FastifyReply, type FastifyRequest, LogController } from 'fastify'
import { isSecretParam } from '../conversions/postback-log-params.ts'
import { isRequestLogSkipped } from './refusal-sampler.ts'

/** The longest URL a request log line keeps; a flood of huge query strings stays small on disk. */
export const MAX_LOGGED_URL_CHARS = 2048

/**
 * Masks the values of secret query parameters so a URL can be logged. A parameter is judged by
 * its decoded name, as the postback reads it, so `secure=`, `tok%65n=` and `token[]=` are masked
 * like `token=`.
 */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?')
  if (queryAt === -1) return url
  const pairs = url.slice(queryAt + 1).split('&')
  let masked = false
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!
    const equals = pair.indexOf('=')
    const name = equals === -1 ? pair : pair.slice(0, equals)
    if (equals !== -1 && isSecretParam(decodeName(name))) {
      pairs[i] = `${name}=***`
      masked = true
    }
  }
  return masked ? `${url.slice(0, queryAt + 1)}${pairs.join('&')}` : url
}

// Lenient: a malformed escape elsewhere in the name must not keep a well-formed one from counting.
function decodeName(name: string): string {
  return name
    .replaceAll('+', ' ')
    .replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
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
