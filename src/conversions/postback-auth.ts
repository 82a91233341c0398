import { createHmac } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { AppError } from '../http/errors.ts'
import { cidrMatcher } from '../shared/cidr.ts'
import { secretsEqual } from '../shared/secrets.ts'
import type { OfferContext } from './attribution-context.ts'

export type AuthMethod = 'token' | 'signature'

/** Standard Webhooks' tolerance: a signature older or newer than this is refused (replay window). */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60

export interface PostbackCredentials {
  method: string
  headers: IncomingHttpHeaders
  /** The query string exactly as sent, without `?`. */
  rawQuery: string
  /** The request body exactly as sent; '' when there is none. */
  rawBody: string
  token: string | undefined
  ip: string
}

/**
 * Authenticates a postback for the advertiser of its offer: Standard Webhooks headers when present
 * (they win over a token), else the `token` parameter; then the advertiser's IP allowlist.
 */
export function authenticatePostback(
  offer: OfferContext,
  credentials: PostbackCredentials,
  nowMs: number,
): AuthMethod {
  const method = hasSignatureHeaders(credentials.headers) ? 'signature' : 'token'
  if (method === 'signature') verifySignature(offer.postbackToken, credentials, nowMs)
  else verifyToken(offer.postbackToken, credentials.token)
  if (offer.allowlist.length > 0 && !allowlistMatcher(offer.allowlist)(credentials.ip)) {
    throw new AppError('ip_not_allowed', `source address ${credentials.ip} is not in the allowlist`)
  }
  return method
}

function hasSignatureHeaders(headers: IncomingHttpHeaders): boolean {
  return (
    headers['webhook-signature'] !== undefined ||
    headers['webhook-id'] !== undefined ||
    headers['webhook-timestamp'] !== undefined
  )
}

function verifyToken(expected: string, given: string | undefined): void {
  if (given === undefined) {
    throw new AppError(
      'invalid_token',
      'a postback needs the advertiser token (token=…) or a Standard Webhooks signature',
    )
  }
  if (!secretsEqual(given, expected)) throw new AppError('invalid_token', 'token is not valid')
}

/**
 * HMAC-SHA256 under the advertiser's token (its UTF-8 bytes: `new Webhook(token, {format:
 * "raw"})`) over `id.timestamp.payload`. The payload is the body of a POST; a GET has none, so its
 * query string is what is signed — otherwise its parameters would travel unprotected. For the
 * same reason a signed POST must carry every parameter in its body.
 */
function verifySignature(secret: string, credentials: PostbackCredentials, nowMs: number): void {
  const id = header(credentials.headers, 'webhook-id')
  const timestamp = header(credentials.headers, 'webhook-timestamp')
  const signatures = header(credentials.headers, 'webhook-signature')
  if (id === undefined || timestamp === undefined || signatures === undefined) {
    throw new AppError(
      'invalid_signature',
      'webhook-id, webhook-timestamp and webhook-signature are all required',
    )
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new AppError('invalid_signature', 'webhook-timestamp must be Unix seconds')
  }
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) {
    throw new AppError(
      'invalid_signature',
      `webhook-timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS / 60} minutes from now`,
    )
  }
  const isGet = credentials.method === 'GET'
  if (!isGet && credentials.rawQuery !== '') {
    throw new AppError(
      'invalid_signature',
      'a signed POST carries its parameters in the body: the query string is not signed',
    )
  }
  const payload = isGet ? credentials.rawQuery : credentials.rawBody
  const expected = createHmac('sha256', secret)
    .update(`${id}.${timestamp}.${payload}`)
    .digest('base64')
  const matches = signatures
    .split(' ')
    .some((entry) => entry.startsWith('v1,') && secretsEqual(entry.slice(3), expected))
  if (!matches) throw new AppError('invalid_signature', 'webhook-signature does not match')
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return typeof value === 'string' && value !== '' ? value : undefined
}

// Building a BlockList per request would cost more than the check; allowlists change rarely.
const matchers = new Map<string, (ip: string) => boolean>()
const MAX_MATCHERS = 1000

function allowlistMatcher(cidrs: string[]): (ip: string) => boolean {
  const key = cidrs.join(',')
  let matcher = matchers.get(key)
  if (!matcher) {
    if (matchers.size >= MAX_MATCHERS) matchers.clear()
    matcher = cidrMatcher(cidrs)
    matchers.set(key, matcher)
  }
  return matcher
}
