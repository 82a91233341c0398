import type { IncomingMessage, ServerResponse } from 'node:http'
import proxyAddr from '@fastify/proxy-addr'
import { errorBody } from '../http/errors.ts'
import { redactUrl } from '../http/request-log.ts'
import type { ClickTracker } from './track-click.ts'
import { answerTrackingLink, type LinkAnswer, type LinkRequest, plainIp } from './tracking-link.ts'

const ROUTE = '/c/:offer_id'
// find-my-way's limit: a longer offer id segment is Fastify's "no route" 404, so it is left there.
const MAX_ID_SEGMENT = 100
const INTERNAL_ERROR = JSON.stringify(errorBody('internal_error', 'internal error'))

export interface TrackingLinkLog {
  /** Pino has it; without it every refusal is logged. */
  isLevelEnabled?(level: string): boolean
  info(object: object, message: string): void
  error(object: object, message: string): void
}

export interface TrackingLinkListenerOptions {
  tracker: ClickTracker
  /** Addresses or ranges whose `X-Forwarded-For` is believed (BACKTRACK_TRUST_PROXY). */
  trustProxy: readonly string[]
  /** Counts an answered request in the HTTP metrics, as Fastify's hook does for other routes. */
  observe(method: string, route: string, status: number, elapsedMs: number): void
  log: TrackingLinkLog
}

export interface TrackingLinkListener {
  /** Answers a tracking-link request and returns true, or returns false to leave it to Fastify. */
  take(request: IncomingMessage, response: ServerResponse): boolean
  /** From now on every request is left to Fastify, which answers 503 while the server closes. */
  stopTaking(): void
}

/**
 * The tracking link on plain `node:http`, ahead of Fastify. A redirect is the whole of the work
 * for most requests a tracker serves, and Fastify's routing, hooks, per-request logger and reply
 * object cost more CPU than recording the click does. The answer is `answerTrackingLink`'s, as
 * on the route in `tracking-link-route.ts` (which documents it and takes what this leaves); this
 * adds only the node:http plumbing, metrics and log lines.
 */
export function trackingLinkListener(options: TrackingLinkListenerOptions): TrackingLinkListener {
  const { tracker, observe, log } = options
  const trusted = options.trustProxy.length > 0 ? proxyAddr.compile([...options.trustProxy]) : null
  let taking = true
  // The visitor's address: the socket's, or from X-Forwarded-For when the peer is a trusted proxy.
  const clientIp = (request: IncomingMessage) =>
    plainIp(trusted ? proxyAddr(request, trusted) : (request.socket.remoteAddress ?? ''))

  const finish = (
    request: IncomingMessage,
    response: ServerResponse,
    answer: LinkAnswer,
    started: number,
  ) => {
    if (answer.status === 302) {
      response.writeHead(302, [
        'cache-control',
        'no-store',
        'location',
        answer.location,
        'content-length',
        '0',
      ])
      response.end()
    } else {
      response.writeHead(answer.status, [
        'cache-control',
        'no-store',
        'content-type',
        answer.contentType,
        'content-length',
        String(Buffer.byteLength(answer.body)),
      ])
      response.end(answer.body)
    }
    const elapsed = performance.now() - started
    observe(request.method!, ROUTE, answer.status, elapsed)
    // Redirects are recorded as clicks; like the route's, only refusals get a log line.
    if (answer.status !== 302 && log.isLevelEnabled?.('info') !== false) {
      log.info(requestLine(request, clientIp(request), answer.status, elapsed), 'request')
    }
  }

  // Sent at once, unless the click writer asks the redirect to wait for its next commit.
  const send = (
    request: IncomingMessage,
    response: ServerResponse,
    answer: LinkAnswer,
    started: number,
  ) => {
    if (answer.status === 302 && answer.slowDown) {
      answer.slowDown.then(
        () => finish(request, response, answer, started),
        (error: unknown) => fail(request, response, error, started),
      )
    } else {
      finish(request, response, answer, started)
    }
  }

  const fail = (
    request: IncomingMessage,
    response: ServerResponse,
    error: unknown,
    started: number,
  ) => {
    const elapsed = performance.now() - started
    log.error(
      { ...requestLine(request, clientIp(request), 500, elapsed), err: error },
      'unhandled error',
    )
    observe(request.method!, ROUTE, 500, elapsed)
    if (response.headersSent) return void response.destroy()
    response.writeHead(500, {
      'cache-control': 'no-store',
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(INTERNAL_ERROR),
    })
    response.end(INTERNAL_ERROR)
  }

  const take = (request: IncomingMessage, response: ServerResponse): boolean => {
    const url = request.url!
    const method = request.method
    if (!taking || (method !== 'GET' && method !== 'HEAD') || !url.startsWith('/c/')) return false
    const queryStart = url.indexOf('?', 3)
    const offerId = url.slice(3, queryStart < 0 ? url.length : queryStart)
    // `%`-escaped ids are decoded by Fastify's router; deeper paths are not this route.
    if (
      offerId.length === 0 ||
      offerId.length > MAX_ID_SEGMENT ||
      offerId.includes('/') ||
      offerId.includes('%')
    ) {
      return false
    }
    const started = performance.now()
    try {
      const link: LinkRequest = {
        offerId,
        rawQuery: queryStart < 0 ? '' : url.slice(queryStart + 1),
        ip: clientIp(request),
        userAgent: request.headers['user-agent'],
        referrer: request.headers.referer,
        method,
        now: Date.now(),
      }
      const catalog = tracker.catalog.current()
      if (catalog) {
        send(request, response, answerTrackingLink(tracker, catalog, link), started)
      } else {
        tracker.catalog
          .catchUp()
          .then((loaded) =>
            send(request, response, answerTrackingLink(tracker, loaded, link), started),
          )
          .catch((error: unknown) => fail(request, response, error, started))
      }
    } catch (error) {
      fail(request, response, error, started)
    }
    return true
  }

  return {
    take,
    stopTaking: () => {
      taking = false
    },
  }
}

// The fields of Fastify's request log line (request-log.ts), for the same grep.
function requestLine(request: IncomingMessage, ip: string, status: number, elapsedMs: number) {
  return {
    method: request.method,
    url: redactUrl(request.url ?? ''),
    route: ROUTE,
    status,
    ms: Math.round(elapsedMs * 100) / 100,
    ip,
  }
}
