// The catalog's domain, for other rooms; its HTTP routes are in routes.ts.
export { catalogRevision } from './catalog-revision.ts'
export type { OfferRow } from './offers.ts'
