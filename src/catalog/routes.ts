import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { registerAdvertiserRoutes } from './advertisers-routes.ts'
import { registerAffiliatePayoutRoutes } from './affiliate-payouts-routes.ts'
import { registerAffiliateRoutes } from './affiliates-routes.ts'
import { registerEndpointRoutes } from './endpoints-routes.ts'
import { registerOfferAccessRoutes } from './offer-access-routes.ts'
import { registerOfferRoutes } from './offers-routes.ts'

/** Admin API for advertisers, offers with goals, affiliates and their postback endpoints. */
export function registerCatalogRoutes(api: App, ctx: AppContext): void {
  registerAdvertiserRoutes(api, ctx)
  registerOfferRoutes(api, ctx)
  registerAffiliateRoutes(api, ctx)
  registerEndpointRoutes(api, ctx)
  registerOfferAccessRoutes(api, ctx)
  registerAffiliatePayoutRoutes(api, ctx)
}
