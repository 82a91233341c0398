// The catalog's domain, for other rooms; its HTTP routes are in routes.ts.
export { bumpCatalogRevision, catalogRevision } from './catalog-revision.ts'
export { FraudRulesBody, type FraudRulesInput, parseStoredFraud } from './fraud-rules-schema.ts'
export { parseStoredCaps, presentCaps, type StoredCap } from './offer-caps.ts'
export type { OfferRow } from './offers.ts'
export { findOfferRow } from './offers.ts'
