export {
  authenticateKey,
  createApiKey,
  ensureAdminKey,
  replaceAffiliateKey,
} from './api-keys.ts'
export { runAsCaller } from './audit-context.ts'
export { recordChange } from './audit-log.ts'
export { requireCsrf } from './csrf.ts'
export {
  type Actor,
  type Principal,
  type Role,
  type Scope,
  seesNetworkMoney,
  seesSecrets,
} from './roles.ts'
export { rotateAdminKey } from './rotate-admin-key.ts'
export { ROUTE_ROLES, type RouteAccess, routeAccess } from './route-roles.ts'
export { csrfTokenFor, resolveSession, sessionIdFrom } from './sessions.ts'
export { principalOfUser } from './user-principal.ts'
