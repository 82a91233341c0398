import { routeAccess } from '../../../src/access/route-roles.ts'
import type { Session } from './session.ts'

/**
 * Whether this session may call an API route, `'POST /api/v1/offers'`, by the server's own table
 * of who may call what (imported at build time, so the console cannot drift from it). The UI
 * only hides what would be refused; the server still decides. A key of no user (the bootstrap
 * admin key, an affiliate's own key) has no role the console can read: it is shown everything.
 */
export function may(session: Session | null, route: string): boolean {
  const role = session?.user?.role
  if (!role) return session?.kind === 'key'
  const [method = 'GET', url = ''] = route.split(' ')
  const { roles } = routeAccess(method, url)
  return roles === 'any' || roles === 'public' || roles.includes(role)
}
