import { routeAccess } from '../../../src/access/route-roles.ts'
import { roleOf, type Session } from './session.ts'

/**
 * Whether this session may call an API route, `'POST /api/v1/offers'`, by the server's own table
 * of who may call what (imported at build time, so the console cannot drift from it). The UI
 * only hides what would be refused; the server still decides.
 */
export function may(session: Session | null, route: string): boolean {
  const role = roleOf(session)
  if (!role) return false
  const [method = 'GET', url = ''] = route.split(' ')
  const { roles } = routeAccess(method, url)
  return roles === 'any' || roles === 'public' || roles.includes(role)
}
