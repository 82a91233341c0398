import { errorBody } from '../http/errors.ts'
import type { ClickOutcome } from './track-click.ts'

/** Longer query strings are refused with 414, before any work. */
export const MAX_QUERY_LENGTH = 8192

/**
 * What the tracking link answers, whichever HTTP layer carries it (the raw listener that takes
 * the hot path, or the Fastify route behind `inject` and the OpenAPI document). Every answer
 * carries `Cache-Control: no-store` and never a cookie.
 */
export type LinkAnswer =
  | { status: 302; location: string }
  | { status: 400 | 404 | 414; contentType: string; body: string }

const JSON_TYPE = 'application/json; charset=utf-8'
const TEXT_TYPE = 'text/plain; charset=utf-8'

export const QUERY_TOO_LONG: LinkAnswer = {
  status: 414,
  contentType: JSON_TYPE,
  body: JSON.stringify(
    errorBody('uri_too_long', `the query string is longer than ${MAX_QUERY_LENGTH} bytes`),
  ),
}

const MISSING_AFFILIATE: LinkAnswer = {
  status: 400,
  contentType: JSON_TYPE,
  body: JSON.stringify(
    errorBody('validation_failed', 'aff_id is required', [
      { field: 'aff_id', message: 'is required' },
    ]),
  ),
}

/** True when the query string of `url` (path and query) is over the limit. */
export function queryTooLong(url: string): boolean {
  const queryStart = url.indexOf('?')
  return queryStart >= 0 && url.length - queryStart - 1 > MAX_QUERY_LENGTH
}

export function linkAnswer(outcome: ClickOutcome): LinkAnswer {
  switch (outcome.kind) {
    case 'redirect':
      return { status: 302, location: outcome.location }
    case 'missing_affiliate':
      return MISSING_AFFILIATE
    case 'not_found':
      return { status: 404, contentType: TEXT_TYPE, body: `${outcome.message}\n` }
  }
}

/** A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d; store the address people know. */
export function plainIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip
}
