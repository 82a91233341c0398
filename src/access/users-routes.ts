import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { ADMIN_ERRORS, IdParams, pathId } from '../http/schemas.ts'
import { RoleSchema, UserSchema } from './access-schemas.ts'
import { recordChange } from './audit-log.ts'
import { createInvite, type Invite } from './invites.ts'
import { createUser, findUser, listUsers, presentUser, updateUser } from './users.ts'

const WithInvite = Type.Object(
  {
    ...UserSchema.properties,
    invite_token: Type.String({ description: 'shown once; valid 72 h, once' }),
    invite_url: Type.String(),
    invite_expires_at: Type.String(),
    invite_mailed: Type.Boolean({ description: 'true when BACKTRACK_SMTP_URL sent it' }),
  },
  {
    examples: [
      {
        id: '2',
        email: 'ana@acme.example',
        name: 'Ana',
        role: 'manager',
        affiliate_id: null,
        advertiser_id: null,
        disabled: false,
        two_factor: false,
        has_password: false,
        last_login_at: null,
        created_at: '2026-12-01T17:41:19.028Z',
        updated_at: '2026-12-01T17:41:19.028Z',
        invite_token: 'Wq3v9nKc2xY7pLm0RtZ8sB4dHf6jUa1e',
        invite_url: 'https://track.example/accept-invite#token=Wq3v9nKc2xY7pLm0RtZ8sB4dHf6jUa1e',
        invite_expires_at: '2026-12-04T17:41:19.028Z',
        invite_mailed: false,
      },
    ],
  },
)

const Id = Type.String({ pattern: '^[1-9][0-9]{0,14}$' })

const CreateBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 320 }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    role: RoleSchema,
    affiliate_id: Type.Optional(Id),
    advertiser_id: Type.Optional(Id),
  },
  { examples: [{ email: 'ana@acme.example', name: 'Ana', role: 'manager' }] },
)

const UpdateBody = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 200 })),
  role: Type.Optional(RoleSchema),
  affiliate_id: Type.Optional(Type.Union([Id, Type.Null()])),
  advertiser_id: Type.Optional(Type.Union([Id, Type.Null()])),
  disabled: Type.Optional(Type.Boolean({ description: 'true also ends every session' })),
})

export type InviteMailer = (
  to: string,
  invite: Invite,
  onError: (error: unknown) => void,
) => Promise<boolean>

/** Users and their invites (admins only, per access/route-roles.ts). */
export function registerUserRoutes(
  api: App,
  { config, database }: AppContext,
  mailInvite: InviteMailer,
): void {
  const tags = ['people']
  const { db } = database
  const withInvite = async (
    request: FastifyRequest,
    user: ReturnType<typeof presentUser>,
    invite: Invite,
  ) => ({
    ...user,
    invite_token: invite.token,
    invite_url: invite.url,
    invite_expires_at: new Date(invite.expiresAt).toISOString(),
    invite_mailed: await mailInvite(user.email, invite, (err) =>
      request.log.warn({ err, user_id: user.id }, 'invite not mailed'),
    ),
  })

  api.post(
    '/users',
    {
      schema: {
        operationId: 'createUser',
        summary: 'Invite a user',
        description:
          'Admins only. Makes the user without a password and answers with a one-time invite (`invite_token`, `invite_url`), mailed when BACKTRACK_SMTP_URL is set. An `affiliate` needs `affiliate_id`, an `advertiser` needs `advertiser_id`.',
        tags,
        body: CreateBody,
        response: { 201: WithInvite, ...ADMIN_ERRORS },
      },
    },
    async (request, reply) => {
      const { user, invite } = await createUser(db, request.body, config.publicUrl)
      return reply.status(201).send(await withInvite(request, user, invite))
    },
  )
  api.get(
    '/users',
    {
      schema: {
        operationId: 'listUsers',
        summary: 'List users',
        description: 'Admins only. Every user, disabled ones included, oldest first, in one list.',
        tags,
        response: { 200: Type.Object({ data: Type.Array(UserSchema) }), ...ADMIN_ERRORS },
      },
    },
    async () => ({ data: await listUsers(db) }),
  )
  api.get(
    '/users/:id',
    {
      schema: {
        operationId: 'getUser',
        summary: 'Read a user',
        description: 'Admins only.',
        tags,
        params: IdParams,
        response: { 200: UserSchema, ...ADMIN_ERRORS },
      },
    },
    async (request) => presentUser(await findUser(db, pathId(request.params.id, 'user'))),
  )
  api.patch(
    '/users/:id',
    {
      schema: {
        operationId: 'updateUser',
        summary: 'Change a user',
        description:
          'Admins only. Only the fields sent change: name, role and its affiliate or advertiser, `disabled` (which also ends every session of the user).',
        tags,
        params: IdParams,
        body: UpdateBody,
        response: { 200: UserSchema, ...ADMIN_ERRORS },
      },
    },
    async (request) => updateUser(db, pathId(request.params.id, 'user'), request.body),
  )
  api.post(
    '/users/:id/reset',
    {
      schema: {
        operationId: 'resetUserInvite',
        summary: 'Send a user a new invite',
        description:
          'Admins only. A new invite to set a password, replacing any earlier one; the current password works until it is used.',
        tags,
        params: IdParams,
        response: { 200: WithInvite, ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const user = await findUser(db, pathId(request.params.id, 'user'))
      const invite = await db.transaction().execute(async (tx) => {
        await recordChange(tx, { action: 'reset', entity: 'user', entityId: user.id })
        return createInvite(tx, user.id, config.publicUrl)
      })
      return withInvite(request, presentUser(user), invite)
    },
  )
}
