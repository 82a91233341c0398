import type { FastifyRequest } from 'fastify'
import { authenticateKey, type Principal } from '../access/index.ts'
import type { Db } from '../db/database.ts'
import { AppError } from './errors.ts'

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal
  }
}

/** Resolves the Bearer key of an admin API request to a principal, or answers 401. */
export function bearerAuth(db: Db, configuredAdminKey: string | undefined) {
  return async (request: FastifyRequest): Promise<void> => {
    const key = bearerKey(request)
    if (key === undefined) {
      throw new AppError('unauthorized', 'missing Authorization: Bearer <key> header')
    }
    const principal = await authenticateKey(db, key, configuredAdminKey)
    if (!principal) throw new AppError('unauthorized', 'API key is not valid')
    request.principal = principal
  }
}

/**
 * Whether the key a long-lived request (the live feed) came with still gives the same principal:
 * a rotated key or a paused affiliate ends the stream, not only the next request.
 */
export async function keyStillValid(
  db: Db,
  configuredAdminKey: string | undefined,
  request: FastifyRequest,
): Promise<boolean> {
  const key = bearerKey(request)
  const now = key === undefined ? undefined : await authenticateKey(db, key, configuredAdminKey)
  const then = request.principal
  if (now === undefined || now.role !== then.role) return false
  return now.role === 'admin' || (then.role === 'affiliate' && now.affiliateId === then.affiliateId)
}

function bearerKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  return (header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null)?.[1]
}

/** Refuses affiliate keys on admin-only operations. */
export function requireAdmin(principal: Principal): void {
  if (principal.role !== 'admin') {
    throw new AppError('forbidden', 'this operation needs an admin key')
  }
}

/** The affiliate a scoped key is limited to, or undefined for an admin key. */
export function affiliateScope(principal: Principal): number | undefined {
  return principal.role === 'affiliate' ? principal.affiliateId : undefined
}

/** Answers 404 to affiliate keys, so they cannot even learn what exists outside their scope. */
export function hideFromAffiliates(principal: Principal, what: string): void {
  if (principal.role !== 'admin') throw new AppError('not_found', `${what} not found`)
}
