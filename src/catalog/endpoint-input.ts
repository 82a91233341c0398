import type { ConversionStatus } from '../conversions/index.ts'
import { AppError } from '../http/errors.ts'
import { OWNER_POSTBACK_MACROS, POSTBACK_MACROS } from '../shared/macro-names.ts'
import { unknownMacros } from '../shared/macros.ts'
import { isSpecialPurposeAddress } from '../shared/special-address.ts'
import { isHttpUrlTemplate, templateHostname } from '../shared/urls.ts'

export interface EndpointInput {
  /** The owner: an affiliate, an advertiser, or neither (the network, for every conversion). */
  affiliate_id?: string | null
  advertiser_id?: string | null
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
  // `{revenue}` is the network's money: only advertisers' and the network's endpoints carry it.
  const macros = input.affiliate_id == null ? OWNER_POSTBACK_MACROS : POSTBACK_MACROS
  const method = input.method ?? 'GET'
  if (!isHttpUrlTemplate(input.url)) {
    throw new AppError('invalid_url', 'url must be an absolute http(s) URL', [
      { field: 'url', message: 'is not an absolute http(s) URL' },
    ])
  }
  checkMacros(input.url, 'url', macros)
  if (!allowPrivateTargets) refusePrivateLiteral(input.url)
  const body = input.body_template ?? null
  if (body !== null) {
    if (method === 'GET') {
      throw new AppError('validation_failed', 'body_template needs method POST', [
        { field: 'body_template', message: 'is only sent with method POST' },
      ])
    }
    checkMacros(body, 'body_template', macros)
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

function checkMacros(template: string, field: string, allowed: ReadonlySet<string>): void {
  const unknown = unknownMacros(template, allowed)
  if (unknown.length > 0) {
    const list = unknown.map((name) => `{${name}}`).join(', ')
    const why = unknown.includes('revenue')
      ? " ({revenue} is for advertisers' and the network's endpoints)"
      : ''
    throw new AppError('unknown_macro', `${field} uses unknown macros: ${list}${why}`, [
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
