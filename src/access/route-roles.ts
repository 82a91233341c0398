import type { Role } from './roles.ts'

/**
 * Who may call each route of the API, in one table so a reviewer reads the whole policy at once.
 * The authorization hook checks it before the body is parsed or validated; a route missing here
 * is admin-only, and the route-walking test fails until it is added.
 *
 * - `roles`: the roles allowed; `'public'`: no credentials; `'any'`: any signed-in caller.
 * - `hidden`: roles answered 404 rather than 403, so they cannot learn the thing exists.
 * - `duringTwoFactorSetup`: still open to a staff session that must set up two-factor first.
 *
 * Inside the handler, scoped roles (affiliate, advertiser) are limited to their own rows.
 */
export interface RouteAccess {
  roles: readonly Role[] | 'public' | 'any'
  hidden?: readonly Role[]
  duringTwoFactorSetup?: boolean
}

const ADMIN: readonly Role[] = ['admin']
/** Changes to the catalog, conversions and deliveries. */
const MANAGE: readonly Role[] = ['admin', 'manager']
/** Reading network data with its money. */
const STAFF_READ: readonly Role[] = ['admin', 'manager', 'analyst']
const AFFILIATE_READ: readonly Role[] = [...STAFF_READ, 'affiliate']
const AFFILIATE_WRITE: readonly Role[] = [...MANAGE, 'affiliate']
const EVERYONE: readonly Role[] = [...AFFILIATE_READ, 'advertiser']
/** Partners managing their own outbound endpoints and deliveries, and staff managing all. */
const PARTNER_WRITE: readonly Role[] = [...AFFILIATE_WRITE, 'advertiser']

export const ROUTE_ROLES: Readonly<Record<string, RouteAccess>> = {
  // catalog
  'POST /api/v1/advertisers': { roles: MANAGE },
  'GET /api/v1/advertisers': { roles: STAFF_READ, hidden: ['affiliate'] },
  // An advertiser reads its own (its postback token and URL, for its integration).
  'GET /api/v1/advertisers/:id': { roles: [...STAFF_READ, 'advertiser'], hidden: ['affiliate'] },
  'PATCH /api/v1/advertisers/:id': { roles: MANAGE },
  'POST /api/v1/offers': { roles: MANAGE },
  'GET /api/v1/offers': { roles: EVERYONE },
  'GET /api/v1/offers/:id': { roles: EVERYONE },
  'PATCH /api/v1/offers/:id': { roles: MANAGE },
  'POST /api/v1/affiliates': { roles: MANAGE },
  'GET /api/v1/affiliates': { roles: AFFILIATE_READ },
  'GET /api/v1/affiliates/:id': { roles: AFFILIATE_READ },
  'PATCH /api/v1/affiliates/:id': { roles: MANAGE },
  // offer access: affiliates ask, managers decide; an affiliate sees only its own requests
  'POST /api/v1/offers/:id/access-requests': { roles: ['affiliate'] },
  'GET /api/v1/access-requests': { roles: AFFILIATE_READ },
  'PATCH /api/v1/access-requests/:id': { roles: MANAGE },
  'PUT /api/v1/offers/:id/affiliates/:affiliate_id': { roles: MANAGE },
  'DELETE /api/v1/offers/:id/affiliates/:affiliate_id': { roles: MANAGE },
  // Another affiliate's payout is none of an affiliate's business: it reads its own on the offer.
  'PUT /api/v1/offers/:id/payouts/:affiliate_id': { roles: MANAGE },
  'GET /api/v1/offers/:id/payouts': { roles: STAFF_READ, hidden: ['affiliate'] },
  'DELETE /api/v1/offers/:id/payouts/:affiliate_id': { roles: MANAGE },
  // A key is a secret: only admins rotate one (managers do not manage keys).
  'POST /api/v1/affiliates/:id/rotate-key': { roles: ADMIN },
  'POST /api/v1/postbacks': { roles: PARTNER_WRITE },
  'GET /api/v1/postbacks': { roles: EVERYONE },
  'GET /api/v1/postbacks/:id': { roles: EVERYONE },
  'PATCH /api/v1/postbacks/:id': { roles: PARTNER_WRITE },
  'DELETE /api/v1/postbacks/:id': { roles: PARTNER_WRITE },
  // deliveries
  'POST /api/v1/postbacks/:id/test': { roles: PARTNER_WRITE },
  'GET /api/v1/deliveries': { roles: EVERYONE },
  'POST /api/v1/deliveries/retry': { roles: PARTNER_WRITE },
  'POST /api/v1/deliveries/:id/retry': { roles: PARTNER_WRITE },
  // clicks, conversions, inbound postback log
  'GET /api/v1/clicks': { roles: AFFILIATE_READ },
  'GET /api/v1/clicks/:click_id': { roles: AFFILIATE_READ },
  'GET /api/v1/advertisers/:id/latest-click': {
    roles: [...STAFF_READ, 'advertiser'],
    hidden: ['affiliate'],
  },
  'GET /api/v1/conversions': { roles: EVERYONE },
  'GET /api/v1/conversions/:id': { roles: EVERYONE },
  'PATCH /api/v1/conversions/:id': { roles: MANAGE },
  'POST /api/v1/conversions/review': { roles: MANAGE },
  'GET /api/v1/settings/fraud': { roles: STAFF_READ, hidden: ['affiliate', 'advertiser'] },
  'PUT /api/v1/settings/fraud': { roles: MANAGE },
  'GET /api/v1/offers/:id/caps': { roles: STAFF_READ, hidden: ['affiliate', 'advertiser'] },
  // blocklists
  'POST /api/v1/blocklist': { roles: MANAGE },
  'GET /api/v1/blocklist': { roles: STAFF_READ },
  'DELETE /api/v1/blocklist/:id': { roles: MANAGE },
  'GET /api/v1/postback-log': { roles: [...STAFF_READ, 'advertiser'], hidden: ['affiliate'] },
  // reports
  'GET /api/v1/reports': { roles: EVERYONE },
  'GET /api/v1/live': { roles: AFFILIATE_READ },
  // people
  'POST /api/v1/users': { roles: ADMIN },
  'GET /api/v1/users': { roles: ADMIN },
  'GET /api/v1/users/:id': { roles: ADMIN },
  'PATCH /api/v1/users/:id': { roles: ADMIN },
  'POST /api/v1/users/:id/reset': { roles: ADMIN },
  'POST /api/v1/auth/accept-invite': { roles: 'public' },
  'POST /api/v1/auth/login': { roles: 'public' },
  'POST /api/v1/auth/logout': { roles: 'public' },
  'GET /api/v1/me': { roles: 'any', duringTwoFactorSetup: true },
  'POST /api/v1/me/password': { roles: 'any' },
  'POST /api/v1/me/totp': { roles: 'any', duringTwoFactorSetup: true },
  'POST /api/v1/me/totp/confirm': { roles: 'any', duringTwoFactorSetup: true },
  'DELETE /api/v1/me/totp': { roles: 'any' },
  // Everyone may hold keys of their own, no wider than themselves; only admins see others' keys.
  'POST /api/v1/api-keys': { roles: 'any' },
  'GET /api/v1/api-keys': { roles: 'any' },
  'DELETE /api/v1/api-keys/:id': { roles: 'any' },
  'GET /api/v1/audit-log': { roles: MANAGE },
}

const ADMIN_ONLY: RouteAccess = { roles: ADMIN }

/** The access rule of a route by method and URL pattern; admin-only when it is not listed. */
export function routeAccess(method: string, url: string): RouteAccess {
  const asGet = method === 'HEAD' ? 'GET' : method
  return ROUTE_ROLES[`${asGet} ${url}`] ?? ADMIN_ONLY
}
