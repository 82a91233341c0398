// How this tab proves who it is. A session cookie (email and password) needs the CSRF token the
// server gave with it on every write; an API key (scripts, the bootstrap admin) is sent as a
// Bearer header. The key lives in sessionStorage: it dies with the tab, and no other site reads it.

const API_KEY_ITEM = 'backtrack.api_key'

let csrfToken: string | undefined

export function apiKey(): string | null {
  return sessionStorage.getItem(API_KEY_ITEM)
}

export function rememberApiKey(key: string): void {
  sessionStorage.setItem(API_KEY_ITEM, key)
}

export function rememberCsrfToken(token: string | undefined): void {
  csrfToken = token
}

export function currentCsrfToken(): string | undefined {
  return csrfToken
}

/** Forgets the key and the CSRF token; the cookie is the server's to end (logout). */
export function forgetCredentials(): void {
  sessionStorage.removeItem(API_KEY_ITEM)
  csrfToken = undefined
}
