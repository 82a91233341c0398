import { ApiError } from '../api/api-error.ts'
import { api } from '../api/client.ts'
import {
  currentCsrfToken,
  forgetCredentials,
  rememberApiKey,
  rememberCsrfToken,
} from '../api/credentials.ts'
import type { Session, User } from './session.ts'

// `/api/v1/auth/*` and `/api/v1/me` come with accounts; until their schemas are in the OpenAPI
// document these three calls use fetch, typed by the accounts contract (User in session.ts).

/** Signs in with email and password (and a one-time code when the account asks for one). */
export async function signInWithPassword(input: {
  email: string
  password: string
  code?: string
}): Promise<Session> {
  const response = await fetch('/api/v1/auth/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  })
  const body = await response.json().catch(() => undefined)
  if (response.status === 404 && body?.error?.code === 'not_found') {
    throw new ApiError(404, {
      error: {
        code: 'accounts_unavailable',
        message:
          'This server does not have accounts yet. Open "Sign in with an API key" below and use the admin key.',
      },
    })
  }
  if (!response.ok) throw new ApiError(response.status, body)
  forgetCredentials()
  rememberCsrfToken(body.csrf_token)
  return { kind: 'user', user: body.user as User }
}

/** Signs in with an API key: kept for this tab only once the server has accepted it. */
export async function signInWithApiKey(key: string): Promise<Session> {
  const { response, error } = await api.GET('/api/v1/affiliates', {
    params: { query: { limit: 1 } },
    headers: { Authorization: `Bearer ${key}` },
  })
  if (!response.ok) throw new ApiError(response.status, error)
  rememberApiKey(key)
  return { kind: 'key' }
}

/** Ends the session: the cookie's on the server, the key in this tab. */
export async function signOut(session: Session | null): Promise<void> {
  if (session?.kind === 'user') {
    await fetch('/api/v1/auth/logout', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': currentCsrfToken() ?? '' },
    })
  }
  forgetCredentials()
}
