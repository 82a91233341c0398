import { api } from '../api/client.ts'
import { apiKey, forgetCredentials, rememberCsrfToken } from '../api/credentials.ts'

/** A signed-in person, as `/api/v1/me` and `/api/v1/auth/login` answer them. */
export interface User {
  id: string
  email: string
  name: string
  role: string
  affiliate_id: string | null
  advertiser_id: string | null
}

/** Who this tab is: a person with a session cookie, or the holder of an API key. */
export type Session = { kind: 'user'; user: User } | { kind: 'key' }

/**
 * The current session, or null when signed out. A stored API key is checked with a cheap call
 * any key may make; otherwise the session cookie is asked about through `/api/v1/me`, which a
 * server without accounts answers 404: signed out, the key form still works.
 */
export async function loadSession(): Promise<Session | null> {
  if (apiKey()) {
    const { response } = await api.GET('/api/v1/affiliates', { params: { query: { limit: 1 } } })
    if (response.ok) return { kind: 'key' }
    if (response.status === 401) forgetCredentials()
    return null
  }
  const response = await fetch('/api/v1/me', { credentials: 'same-origin' })
  if (!response.ok) return null
  const body = (await response.json()) as { user: User; csrf_token: string }
  rememberCsrfToken(body.csrf_token)
  return { kind: 'user', user: body.user }
}

/** The session query: read once per tab load, then set by sign-in and cleared by sign-out. */
export const SESSION_QUERY = { queryKey: ['session'], queryFn: loadSession, staleTime: Infinity }
