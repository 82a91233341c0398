import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import {
  authenticateKey,
  csrfTokenFor,
  type Principal,
  principalOfUser,
  requireCsrf,
  resolveSession,
  routeAccess,
  runAsCaller,
  type Scope,
  sessionIdFrom,
} from '../access/index.ts'
import type { Config } from '../config.ts'
import type { Db } from '../db/database.ts'
import { AppError } from './errors.ts'

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal
    /** The raw session id when the caller came with a live session cookie. */
    sessionId?: string
  }
}

async function bearerPrincipal(
  db: Db,
  request: FastifyRequest,
  configuredAdminKey: string | undefined,
): Promise<Principal | undefined> {
  const header = request.headers.authorization
  if (header === undefined) return undefined
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (!match) throw new AppError('unauthorized', 'missing Authorization: Bearer <key> header')
  const principal = await authenticateKey(db, match[1]!, configuredAdminKey)
  if (!principal) throw new AppError('unauthorized', 'API key is not valid')
  return principal
}

async function sessionPrincipal(
  db: Db,
  request: FastifyRequest,
  config: Config,
): Promise<Principal | undefined> {
  const id = sessionIdFrom(request.headers.cookie)
  if (id === undefined) return undefined
  const times = { idleMs: config.sessionIdleMs, maxMs: config.sessionMaxMs }
  const userId = await resolveSession(db, id, times)
  if (userId === undefined) return undefined
  const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst()
  const principal = user
    ? principalOfUser(user, { require2fa: config.require2fa, csrfToken: csrfTokenFor(id) })
    : undefined
  if (principal) request.sessionId = id
  return principal
}

/**
 * Whether the credentials a long-lived request (the live feed) came with still give the same
 * scope: a rotated or revoked key, a paused affiliate, a disabled user or an ended session ends
 * the stream, not only the next request.
 */
export async function callerStillValid(
  db: Db,
  config: Config,
  request: FastifyRequest,
): Promise<boolean> {
  const then = request.principal
  // A key that no longer authenticates is refused with an AppError; a database error is not an
  // answer about the key, and is left to the caller (the live feed keeps its stream then).
  const now =
    (await bearerPrincipal(db, request, config.adminKey).catch((error: unknown) => {
      if (error instanceof AppError) return undefined
      throw error
    })) ?? (await sessionPrincipal(db, request, config))
  return now !== undefined && sameScope(now, then)
}

function sameScope(a: Scope, b: Scope): boolean {
  if (a.role !== b.role) return false
  if (a.role === 'affiliate') return b.role === 'affiliate' && a.affiliateId === b.affiliateId
  if (a.role === 'advertiser') return b.role === 'advertiser' && a.advertiserId === b.advertiserId
  return true
}

/**
 * The API's one gate, run on request (before the body is read, let alone validated): who the
 * caller is (Bearer key, else session cookie), whether the route's roles admit it
 * (access/route-roles.ts), and for a session, the CSRF token on anything that changes state.
 */
export function authorize(db: Db, config: Config) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const access = routeAccess(request.method, request.routeOptions.url ?? '')
    const principal =
      (await bearerPrincipal(db, request, config.adminKey)) ??
      (await sessionPrincipal(db, request, config))
    if (principal) request.principal = principal
    if (access.roles === 'public') return
    if (!principal) {
      throw new AppError('unauthorized', 'sign in, or send Authorization: Bearer <key>')
    }
    if (principal.twoFactorSetupRequired && !access.duringTwoFactorSetup) {
      throw new AppError(
        'two_factor_setup_required',
        'set up two-factor first: POST /api/v1/me/totp, then POST /api/v1/me/totp/confirm',
      )
    }
    if (access.roles !== 'any' && !access.roles.includes(principal.role)) {
      if (access.hidden?.includes(principal.role)) throw new AppError('not_found', 'not found')
      throw new AppError('forbidden', `the ${principal.role} role may not do this`)
    }
    requireCsrf(request, principal)
  }
}

/** Runs every API handler as its caller, so the changes it makes are audited under its name. */
export function asCaller(route: RouteOptions): void {
  const handler = route.handler
  route.handler = function (this: unknown, request, reply) {
    const principal = request.principal as Principal | undefined
    if (!principal) return handler.call(this as never, request, reply)
    return runAsCaller({ actor: principal.actor, ip: request.ip }, () =>
      handler.call(this as never, request, reply),
    )
  }
}

/** The affiliate a scoped key is limited to, or undefined for other callers. */
export function affiliateScope(principal: Principal): number | undefined {
  return principal.role === 'affiliate' ? principal.affiliateId : undefined
}
