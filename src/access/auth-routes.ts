import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { ADMIN_ERRORS } from '../http/schemas.ts'
import { SessionBody } from './access-schemas.ts'
import { requireCsrf } from './csrf.ts'
import { acceptInvite } from './invites.ts'
import { login } from './login.ts'
import { prepareDummyHash } from './passwords.ts'
import { csrfTokenFor, endSession, sessionCookie } from './sessions.ts'
import { principalOfUser } from './user-principal.ts'
import { presentUser } from './users.ts'

const ERRORS = { ...ADMIN_ERRORS, 429: ADMIN_ERRORS[401] }

/** Accepting an invite, signing in and out. Public routes: they are how credentials are made. */
export function registerAuthRoutes(api: App, { config, database }: AppContext): void {
  const tags = ['people']
  const { db } = database
  const secure = config.publicUrl.startsWith('https:')
  const times = { idleMs: config.sessionIdleMs, maxMs: config.sessionMaxMs }
  api.addHook('onReady', async () => {
    await prepareDummyHash()
  })

  api.post(
    '/auth/accept-invite',
    {
      schema: {
        tags,
        security: [],
        body: Type.Object({
          token: Type.String({ minLength: 1, maxLength: 200 }),
          password: Type.String({ maxLength: 1024 }),
        }),
        response: { 204: Type.Null(), ...ERRORS },
      },
    },
    async (request, reply) => {
      await acceptInvite(db, request.body.token, request.body.password, request.ip)
      return reply.status(204).send(null)
    },
  )

  api.post(
    '/auth/login',
    {
      schema: {
        tags,
        security: [],
        description:
          'Sets the session cookie. With two-factor on, send `code` (TOTP or a recovery code).',
        body: Type.Object({
          email: Type.String({ maxLength: 320 }),
          password: Type.String({ maxLength: 1024 }),
          code: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: { 200: SessionBody, ...ERRORS },
      },
    },
    async (request, reply) => {
      const { sessionId, user } = await login(db, request.body, request.ip, times)
      const principal = principalOfUser(user, { require2fa: config.require2fa })
      void reply.header('set-cookie', sessionCookie(sessionId, { secure, maxMs: times.maxMs }))
      return {
        user: presentUser(user),
        csrf_token: csrfTokenFor(sessionId),
        two_factor_setup_required: principal?.twoFactorSetupRequired ?? false,
      }
    },
  )

  api.post(
    '/auth/logout',
    { schema: { tags, security: [], response: { 204: Type.Null(), ...ERRORS } } },
    async (request, reply) => {
      // Public, so a stale cookie can always be cleared; a live session still needs its token.
      if (request.sessionId !== undefined) {
        requireCsrf(request, request.principal)
        await endSession(db, request.sessionId)
      }
      void reply.header('set-cookie', sessionCookie('', { secure, maxMs: 0 }))
      return reply.status(204).send(null)
    },
  )
}
