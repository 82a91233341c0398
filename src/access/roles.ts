import type { Role } from '../db/tables/access.ts'

export type { Role }

export const ROLES: readonly Role[] = ['admin', 'manager', 'analyst', 'affiliate', 'advertiser']

/** Roles that run the network and therefore must use two-factor with BACKTRACK_REQUIRE_2FA=staff. */
export const STAFF: readonly Role[] = ['admin', 'manager']

/** Who a caller is and what it is limited to: an affiliate's or an advertiser's own data. */
export type Scope =
  | { role: 'admin' | 'manager' | 'analyst' }
  | { role: 'affiliate'; affiliateId: number }
  | { role: 'advertiser'; advertiserId: number }

/** Who made a change, as the audit log names them. */
export interface Actor {
  type: 'user' | 'key'
  id: string | null
  name: string
}

/** Who is calling the API: a scope, and the user or key behind it. */
export type Principal = Scope & {
  actor: Actor
  /** The user the caller acts for (a session's, or the owner of a key); undefined for bare keys. */
  userId?: number
  /** Set for session callers, whose unsafe requests must carry the CSRF token. */
  csrfToken?: string
  /** A staff session that must set up two-factor before anything else (BACKTRACK_REQUIRE_2FA). */
  twoFactorSetupRequired?: boolean
}

/** Network money (revenue, profit, the advertiser behind an offer) is for the network's people. */
export function seesNetworkMoney(principal: Scope): boolean {
  return principal.role === 'admin' || principal.role === 'manager' || principal.role === 'analyst'
}

/**
 * Credentials (an advertiser's postback token, an endpoint's signing secret) are for those who may
 * change what they guard: an analyst reads everything else but could post conversions or forge
 * signed postbacks with these. An affiliate or advertiser sees only its own endpoints (and an
 * advertiser its own postback token), secrets included.
 */
export function seesSecrets(principal: Scope): boolean {
  return SEES_SECRETS.has(principal.role)
}

const SEES_SECRETS = new Set<Role>(['admin', 'manager', 'affiliate', 'advertiser'])

// Staff roles from widest to narrowest; affiliate and advertiser are each only as wide as themselves.
const STAFF_WIDTH: Partial<Record<Role, number>> = { admin: 3, manager: 2, analyst: 1 }

/** Whether `creator` may hand out a credential with `scope`: never wider than its own. */
export function mayGrant(creator: Scope, scope: Scope): boolean {
  if (creator.role === 'admin') return true
  if (creator.role === 'affiliate') {
    return scope.role === 'affiliate' && scope.affiliateId === creator.affiliateId
  }
  if (creator.role === 'advertiser') {
    return scope.role === 'advertiser' && scope.advertiserId === creator.advertiserId
  }
  const granted = STAFF_WIDTH[scope.role]
  return granted !== undefined && granted <= (STAFF_WIDTH[creator.role] ?? 0)
}

/** A scope from stored columns, or undefined when a scoped role lacks its affiliate/advertiser. */
export function scopeOf(row: {
  role: Role
  affiliate_id: number | null
  advertiser_id: number | null
}): Scope | undefined {
  if (row.role === 'affiliate') {
    return row.affiliate_id === null
      ? undefined
      : { role: 'affiliate', affiliateId: row.affiliate_id }
  }
  if (row.role === 'advertiser') {
    return row.advertiser_id === null
      ? undefined
      : { role: 'advertiser', advertiserId: row.advertiser_id }
  }
  return { role: row.role }
}
