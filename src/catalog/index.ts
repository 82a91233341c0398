// The catalog's domain, for other rooms; its HTTP routes are in routes.ts.
export { bumpCatalogRevision, catalogRevision } from './catalog-revision.ts'
export { FraudRulesBody, type FraudRulesInput, parseStoredFraud } from './fraud-rules-schema.ts'
export {
  type Cap,
  type CapInput,
  type CapMetric,
  type CapPeriod,
  CapsSchema,
  normalizeCaps,
  parseStoredCaps,
  presentCaps,
} from './offer-caps.ts'
export { minuteOfDay, type Targeting } from './offer-targeting.ts'
export type { OfferRow } from './offers.ts'
export { findOfferRow } from './offers.ts'
