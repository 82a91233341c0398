import { OWNER_POSTBACK_MACROS, POSTBACK_MACROS } from '../shared/macro-names.ts'

/** Who an endpoint belongs to, as its row says: an affiliate, an advertiser, or neither. */
export interface EndpointOwnerColumns {
  affiliate_id: number | null
  advertiser_id: number | null
}

/**
 * The macro names an endpoint fills and the values it may see: an affiliate's endpoint never
 * gets `{revenue}`; an advertiser's gets `{revenue}` and an empty `{payout}` and `{affiliate_id}`
 * (which affiliate sent a conversion, and what it is paid, are not the advertiser's business);
 * the network's gets them all.
 */
export function macrosForOwner(
  endpoint: EndpointOwnerColumns,
  macros: Readonly<Record<string, string>>,
): { names: ReadonlySet<string>; values: Readonly<Record<string, string>> } {
  if (endpoint.affiliate_id !== null) return { names: POSTBACK_MACROS, values: macros }
  if (endpoint.advertiser_id !== null) {
    return { names: OWNER_POSTBACK_MACROS, values: { ...macros, payout: '', affiliate_id: '' } }
  }
  return { names: OWNER_POSTBACK_MACROS, values: macros }
}
