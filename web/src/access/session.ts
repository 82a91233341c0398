import { useQuery } from '@tanstack/react-query'
import { ApiError } from '../api/api-error.ts'
import type { Me, Role, User } from '../api/api-types.ts'
import { api } from '../api/client.ts'
import { apiKey, forgetCredentials, rememberCsrfToken } from '../api/credentials.ts'

/**
 * Who this tab is: a person with a session cookie, or the holder of an API key (`user` is the
 * key's owner, or null for a key of no user such as the bootstrap admin key; `role`,
 * `affiliateId` and `advertiserId` are the key's own, which a key of no user has too).
 */
export type Session =
  | { kind: 'user'; user: User; twoFactorSetupRequired: boolean }
  | {
      kind: 'key'
      user: User | null
      role: Role
      affiliateId: string | null
      advertiserId: string | null
    }

/**
 * The current session, or null when signed out: `/api/v1/me` answers for the stored key, or
 * else for the session cookie, and gives the CSRF token a cookie session sends on writes.
 */
export async function loadSession(): Promise<Session | null> {
  const { data, response } = await api.GET('/api/v1/me')
  if (!data) {
    if (response.status === 401) {
      forgetCredentials()
      return null
    }
    throw new ApiError(response.status, undefined)
  }
  if (apiKey()) return keySession(data)
  if (!data.user) return null
  rememberCsrfToken(data.csrf_token ?? undefined)
  return {
    kind: 'user',
    user: data.user,
    twoFactorSetupRequired: data.two_factor_setup_required,
  }
}

/** The session query: read once per tab load, then set by sign-in and cleared by sign-out. */
export const SESSION_QUERY = { queryKey: ['session'], queryFn: loadSession, staleTime: Infinity }

/** The signed-in session; pages are behind the sign-in guard, so it is loaded already. */
export function useSession(): Session | null {
  return useQuery(SESSION_QUERY).data ?? null
}

/** The session of an API key, from what `/api/v1/me` answers for it. */
export function keySession(me: Me): Session {
  return {
    kind: 'key',
    user: me.user,
    role: me.role,
    affiliateId: me.affiliate_id,
    advertiserId: me.advertiser_id,
  }
}

/** The role the server gives this session, whether a person's or a key's. */
export function roleOf(session: Session | null): Role | undefined {
  return session?.kind === 'key' ? session.role : session?.user.role
}

/** The affiliate a session belongs to (an affiliate's person or key), else undefined. */
export function affiliateOf(session: Session | null): string | undefined {
  return (session?.kind === 'key' ? session.affiliateId : session?.user.affiliate_id) ?? undefined
}

/** The advertiser a session belongs to (an advertiser's person or key), else undefined. */
export function advertiserOf(session: Session | null): string | undefined {
  return (session?.kind === 'key' ? session.advertiserId : session?.user.advertiser_id) ?? undefined
}
