import { AppError } from '../http/errors.ts'
import { secretsEqual } from '../shared/secrets.ts'
import type { Principal } from './roles.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Session callers send the token from login or /me with every unsafe request, which a page on
 * another site cannot read; Bearer keys are never sent by a browser on its own and need none.
 */
export function requireCsrf(
  request: { method: string; headers: Record<string, string | string[] | undefined> },
  principal: Principal,
): void {
  if (principal.csrfToken === undefined || SAFE_METHODS.has(request.method)) return
  const sent = request.headers['x-csrf-token']
  if (typeof sent !== 'string' || !secretsEqual(sent, principal.csrfToken)) {
    throw new AppError('csrf_failed', 'send the X-CSRF-Token header from login or GET /api/v1/me')
  }
}
