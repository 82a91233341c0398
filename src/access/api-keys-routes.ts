import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { AppError } from '../http/errors.ts'
import { ADMIN_ERRORS, IdParams, pathId } from '../http/schemas.ts'
import { parseId } from '../shared/ids.ts'
import { ApiKeySchema, RoleSchema } from './access-schemas.ts'
import { createNamedKey, deleteApiKey, listApiKeys } from './api-keys.ts'
import { mayGrant, type Principal, type Role, type Scope } from './roles.ts'

const CreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: Type.Optional(RoleSchema),
    affiliate_id: Type.Optional(
      Type.String({ description: 'for an affiliate key, made by an admin' }),
    ),
    advertiser_id: Type.Optional(Type.String({ description: 'for an advertiser key (admin)' })),
  },
  { examples: [{ name: 'nightly report export', role: 'analyst' }] },
)

const CreatedKey = Type.Object(
  { ...ApiKeySchema.properties, key: Type.String({ description: 'the secret, shown this once' }) },
  {
    examples: [
      {
        id: '7',
        name: 'nightly report export',
        role: 'analyst',
        affiliate_id: null,
        advertiser_id: null,
        user_id: '2',
        created_at: '2026-12-01T17:41:19.028Z',
        last_used_at: null,
        key: 'bt_key_3mQ8vL2xN7cR0tY5pW9sK4hB6dJ1fZaE',
      },
    ],
  },
)

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
        operationId: 'createApiKey',
        summary: 'Make a named API key',
        description:
          'Any signed-in caller, for a key no wider than itself: an admin any key; a manager a manager or analyst key; an analyst an analyst key; an affiliate or advertiser only a key of its own (else 403). The role defaults to the caller’s. The key is in this response only.',
        tags,
        body: CreateBody,
        response: {
          201: CreatedKey,
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
        operationId: 'listApiKeys',
        summary: 'List API keys',
        description:
          'Any signed-in caller: every key for an admin; the caller’s own keys (made by it or belonging to its user) for everyone else. Newest first, without the secrets, with when each was last used.',
        tags,
        response: { 200: Type.Object({ data: Type.Array(ApiKeySchema) }), ...ADMIN_ERRORS },
      },
    },
    async (request) => ({ data: await listApiKeys(db, request.principal) }),
  )
  api.delete(
    '/api-keys/:id',
    {
      schema: {
        operationId: 'deleteApiKey',
        summary: 'Revoke an API key',
        description:
          'Any signed-in caller, for a key it may list (an admin: any key; others: their own, else 404). The next request with the key is a 401.',
        tags,
        params: IdParams,
        response: { 204: Type.Null(), ...ADMIN_ERRORS },
      },
    },
    async (request, reply) => {
      await deleteApiKey(db, pathId(request.params.id, 'API key'), request.principal)
      return reply.status(204).send(null)
    },
  )
}
