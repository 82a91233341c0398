import fastQuerystring from 'fast-querystring'
import { errorBody } from '../http/errors.ts'
import { type ClickOutcome, type ClickTracker, trackClick } from './track-click.ts'
import type { CatalogSnapshot } from './tracking-catalog.ts'

/** Longer query strings are refused with 414, before any work. */
export const MAX_QUERY_LENGTH = 8192

/** A tracking-link request as an HTTP layer hands it over. */
export interface LinkRequest {
  /** The path segment after `/c/`, decoded. */
  offerId: string
  /** The query string as sent, without its `?`; empty when there is none. */
  rawQuery: string
  /** The visitor's address, as people know it (see `plainIp`). */
  ip: string
  userAgent: string | undefined
  referrer: string | undefined
  /** GET or HEAD: link checkers and previews send HEAD and get the answer but make no click. */
  method: string
  now: number
}

/**
 * What the tracking link answers, whichever HTTP layer carries it (the raw listener that takes
 * the hot path, or the Fastify route behind `inject` and the OpenAPI document). Every answer
 * carries `Cache-Control: no-store` and never a cookie. A redirect is sent once `slowDown`, when
 * there is one, settles (see `ClickOutcome`).
 */
export type LinkAnswer =
  | { status: 302; location: string; slowDown: Promise<void> | undefined }
  | { status: 400 | 404 | 414; contentType: string; body: string }

const JSON_TYPE = 'application/json; charset=utf-8'
const TEXT_TYPE = 'text/plain; charset=utf-8'

const QUERY_TOO_LONG: LinkAnswer = {
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

/**
 * The one answer to a tracking link, for every HTTP layer: records the click and redirects, or
 * refuses. Synchronous: the caller reads the catalog first (`tracker.catalog.current()`, or
 * `catchUp()` after a change), so the common redirect waits for no promise.
 */
export function answerTrackingLink(
  tracker: ClickTracker,
  catalog: CatalogSnapshot,
  link: LinkRequest,
): LinkAnswer {
  if (link.rawQuery.length > MAX_QUERY_LENGTH) return QUERY_TOO_LONG
  const outcome = trackClick(tracker, catalog, {
    offerId: link.offerId,
    query: link.rawQuery === '' ? {} : fastQuerystring.parse(link.rawQuery),
    ip: link.ip,
    userAgent: link.userAgent,
    referrer: link.referrer,
    now: link.now,
    record: link.method === 'GET',
  })
  return linkAnswer(outcome)
}

function linkAnswer(outcome: ClickOutcome): LinkAnswer {
  switch (outcome.kind) {
    case 'redirect':
      return { status: 302, location: outcome.location, slowDown: outcome.slowDown }
    case 'missing_affiliate':
      return MISSING_AFFILIATE
    case 'not_found':
      return { status: 404, contentType: TEXT_TYPE, body: `${outcome.message}\n` }
  }
}

/** The query string of `url` (path and query), without its `?`; empty when there is none. */
export function rawQueryOf(url: string): string {
  const queryStart = url.indexOf('?')
  return queryStart < 0 ? '' : url.slice(queryStart + 1)
}

/** A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d; store the address people know. */
export function plainIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip
}
