import { OWNER_POSTBACK_MACROS, POSTBACK_MACROS } from '../../../src/shared/macro-names.ts'
import { unknownMacros } from '../../../src/shared/macros.ts'

// The server's own macro lists and parser, bundled at build time: the console flags exactly what
// the API would refuse.

/** Who an endpoint belongs to; `{revenue}` is for advertisers' and the network's only. */
export type EndpointOwner = 'affiliate' | 'advertiser' | 'network'

function allowed(owner: EndpointOwner): ReadonlySet<string> {
  return owner === 'affiliate' ? POSTBACK_MACROS : OWNER_POSTBACK_MACROS
}

// Left empty for an advertiser's endpoint, so not offered to it.
const EMPTY_FOR_ADVERTISERS = new Set(['payout', 'affiliate_id'])

/** The macros worth offering an owner's postback URL or body template, in the contract's order. */
export function macrosFor(owner: EndpointOwner): readonly string[] {
  const names = [...allowed(owner)]
  return owner === 'advertiser' ? names.filter((name) => !EMPTY_FOR_ADVERTISERS.has(name)) : names
}

/** The field's error while typing: the macros the server does not know, or null. */
export function macroProblem(template: string, owner: EndpointOwner = 'affiliate'): string | null {
  const unknown = unknownMacros(template, allowed(owner))
  if (unknown.length === 0) return null
  return `Unknown macro${unknown.length > 1 ? 's' : ''}: ${unknown.map((name) => `{${name}}`).join(', ')}`
}
