import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { AppError } from '../http/errors.ts'
import { ADMIN_ERRORS, IdParams, pathId } from '../http/schemas.ts'
import { parseId } from '../shared/ids.ts'
import { ApiKeySchema, RoleSchema } from './access-schemas.ts'
import { createNamedKey, deleteApiKey, listApiKeys } from './api-keys.ts'
import { mayGrant, type Principal, type Role, type Scope } from './roles.ts'

const CreateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  role: Type.Optional(RoleSchema),
  affiliate_id: Type.Optional(
    Type.String({ description: 'for an affiliate key, made by an admin' }),
  ),
  advertiser_id: Type.Optional(Type.String({ description: 'for an advertiser key (admin)' })),
})

// A key defaults to its creator's own scope; an affiliate's or advertiser's key is theirs.
function requestedScope(
  creator: Principal,
  body: { role?: Role; affiliate_id?: string; advertiser_id?: string },
): Scope {
  const role = body.role ?? creator.role
  if (role === 'affiliate') {
    const id =
      parseId(body.affiliate_id) ?? (creator.role === 'affiliate' ? creator.affiliateId : undefined)
    if (id === undefined)
      throw new AppError('unknown_affiliate', 'an affiliate key needs affiliate_id')
    return { role, affiliateId: id }
  }
  if (role === 'advertiser') {
    const id =
      parseId(body.advertiser_id) ??
      (creator.role === 'advertiser' ? creator.advertiserId : undefined)
    if (id === undefined)
      throw new AppError('unknown_advertiser', 'an advertiser key needs advertiser_id')
    return { role, advertiserId: id }
  }
  return { role }
}

/** Named API keys: made, listed with their last use, revoked. */
export function registerApiKeyRoutes(api: App, { database }: AppContext): void {
  const tags = ['people']
  const { db } = database

  api.post(
    '/api-keys',
    {
      schema: {
        tags,
        description: 'The key is in this response only. Its role is no wider than the caller’s.',
        body: CreateBody,
        response: {
          201: Type.Object({ ...ApiKeySchema.properties, key: Type.String() }),
          ...ADMIN_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const creator = request.principal
      const scope = requestedScope(creator, request.body)
      if (!mayGrant(creator, scope)) {
        throw new AppError('forbidden', `a ${creator.role} may not make a ${scope.role} key`)
      }
      const made = await createNamedKey(db, { name: request.body.name, scope, creator })
      return reply.status(201).send(made)
    },
  )
  api.get(
    '/api-keys',
    {
      schema: {
        tags,
        description: 'Every key for an admin; the caller’s own keys for everyone else.',
        response: { 200: Type.Object({ data: Type.Array(ApiKeySchema) }), ...ADMIN_ERRORS },
      },
    },
    async (request) => ({ data: await listApiKeys(db, request.principal) }),
  )
  api.delete(
    '/api-keys/:id',
    { schema: { tags, params: IdParams, response: { 204: Type.Null(), ...ADMIN_ERRORS } } },
    async (request, reply) => {
      await deleteApiKey(db, pathId(request.params.id, 'API key'), request.principal)
      return reply.status(204).send(null)
    },
  )
}
