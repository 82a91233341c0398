import { ApiError } from '../api/api-error.ts'
import { api } from '../api/client.ts'
import { forgetCredentials, rememberApiKey, rememberCsrfToken } from '../api/credentials.ts'
import { keySession, type Session } from './session.ts'

/** Signs in with email and password, and the one-time code when the account has two-factor. */
export async function signInWithPassword(body: {
  email: string
  password: string
  code?: string
}): Promise<Session> {
  // A key left in this tab would be sent instead of the password's session.
  forgetCredentials()
  const { data, error, response } = await api.POST('/api/v1/auth/login', { body })
  if (!data?.user) throw new ApiError(response.status, error)
  rememberCsrfToken(data.csrf_token ?? undefined)
  return {
    kind: 'user',
    user: data.user,
    twoFactorSetupRequired: data.two_factor_setup_required,
  }
}

/** Signs in with an API key: kept for this tab only once the server has accepted it. */
export async function signInWithApiKey(key: string): Promise<Session> {
  const { data, error, response } = await api.GET('/api/v1/me', {
    headers: { Authorization: `Bearer ${key}` },
  })
  if (!data) throw new ApiError(response.status, error)
  rememberApiKey(key)
  return keySession(data)
}

/** Ends the session: the cookie's on the server (the client sends the CSRF token), the key here. */
export async function signOut(session: Session | null): Promise<void> {
  if (session?.kind === 'user') await api.POST('/api/v1/auth/logout')
  forgetCredentials()
}
