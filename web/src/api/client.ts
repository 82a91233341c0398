import createClient, { type Middleware } from 'openapi-fetch'
import { apiKey, currentCsrfToken } from './credentials.ts'
import type { paths } from './schema.d.ts'

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Adds who we are: the Bearer key when signed in with one, else the CSRF token on writes. */
const authenticate: Middleware = {
  onRequest({ request }) {
    const key = apiKey()
    if (key && !request.headers.has('Authorization'))
      request.headers.set('Authorization', `Bearer ${key}`)
    const csrf = currentCsrfToken()
    if (csrf && WRITES.has(request.method)) request.headers.set('X-CSRF-Token', csrf)
    return request
  },
}

/** The typed API client: paths, parameters and answers come from the server's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: '/', credentials: 'same-origin' })
api.use(authenticate)
