import type { ConversionStatus } from '../conversions/index.ts'
import { AppError } from '../http/errors.ts'
import { POSTBACK_MACROS } from '../shared/macro-names.ts'
import { unknownMacros } from '../shared/macros.ts'
import { isSpecialPurposeAddress } from '../shared/special-address.ts'
import { isHttpUrlTemplate, templateHostname } from '../shared/urls.ts'

export interface EndpointInput {
  affiliate_id: string
  url: string
  offer_id?: string | null
  method?: 'GET' | 'POST'
  body_template?: string | null
  content_type?: string | null
  goals?: string[] | null
  statuses?: ConversionStatus[]
  sign?: boolean
}

export interface NormalizedEndpoint {
  url: string
  method: 'GET' | 'POST'
  body_template: string | null
  content_type: string | null
  goals: string | null
  statuses: string
}

/**
 * Checks an endpoint's templates and filters; ids are checked against the database by the caller.
 * A loopback, private or otherwise special-purpose IP literal is refused here, where the person
 * who typed it sees why, unless `allowPrivateTargets`; names are checked again after DNS at send.
 */
export function normalizeEndpoint(
  input: EndpointInput,
  allowPrivateTargets: boolean,
): NormalizedEndpoint {
  const method = input.method ?? 'GET'
  if (!isHttpUrlTemplate(input.url)) {
    throw new AppError('invalid_url', 'url must be an absolute http(s) URL', [
      { field: 'url', message: 'is not an absolute http(s) URL' },
    ])
  }
  checkMacros(input.url, 'url')
  if (!allowPrivateTargets) refusePrivateLiteral(input.url)
  const body = input.body_template ?? null
  if (body !== null) {
    if (method === 'GET') {
      throw new AppError('validation_failed', 'body_template needs method POST', [
        { field: 'body_template', message: 'is only sent with method POST' },
      ])
    }
    checkMacros(body, 'body_template')
  }
  const statuses = [...new Set(input.statuses ?? ['approved'])]
  return {
    url: input.url,
    method,
    body_template: body,
    content_type: method === 'POST' ? (input.content_type ?? 'application/json') : null,
    goals: input.goals == null ? null : JSON.stringify([...new Set(input.goals)]),
    statuses: JSON.stringify(statuses),
  }
}

function checkMacros(template: string, field: string): void {
  const unknown = unknownMacros(template, POSTBACK_MACROS)
  if (unknown.length > 0) {
    const list = unknown.map((name) => `{${name}}`).join(', ')
    throw new AppError('unknown_macro', `${field} uses unknown macros: ${list}`, [
      { field, message: `unknown macros: ${unknown.join(', ')}` },
    ])
  }
}

function refusePrivateLiteral(template: string): void {
  const host = templateHostname(template)
  if (host !== undefined && isSpecialPurposeAddress(host)) {
    throw new AppError(
      'private_target',
      `url points at ${host}, a private or reserved address (BACKTRACK_ALLOW_PRIVATE_TARGETS=1 allows it)`,
      [{ field: 'url', message: 'is a private or reserved address' }],
    )
  }
}
