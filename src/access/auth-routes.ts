import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { errorResponse } from '../http/schemas.ts'
import { SessionBody } from './access-schemas.ts'
import { requireCsrf } from './csrf.ts'
import { acceptInvite } from './invites.ts'
import { login } from './login.ts'
import { prepareDummyHash } from './passwords.ts'
import { csrfTokenFor, endSession, sessionCookie } from './sessions.ts'
import { principalOfUser } from './user-principal.ts'
import { presentUser } from './users.ts'

const INVALID_BODY = errorResponse('`validation_failed` (with `details`) or `invalid_json`')
const RATE_LIMITED = errorResponse(
  '`rate_limited`: too many refused requests from this address; see `Retry-After`',
)
const TOO_MANY = errorResponse(
  '`too_many_attempts` (too many failed sign-ins for this email or from this address) or `rate_limited`; see `Retry-After`',
)

const ACCEPT_ERRORS = {
  400: errorResponse(
    '`invalid_token` (the invite is used, replaced or expired), `weak_password`, `validation_failed`',
  ),
  429: RATE_LIMITED,
}
const LOGIN_ERRORS = {
  400: INVALID_BODY,
  401: errorResponse(
    '`invalid_credentials` (the same for an unknown email, a wrong password and a disabled user), `code_required`, `invalid_code`',
  ),
  429: TOO_MANY,
}
const LOGOUT_ERRORS = {
  403: errorResponse('`csrf_failed`: a live session without its `X-CSRF-Token`'),
}

const LoginBody = Type.Object(
  {
    email: Type.String({ maxLength: 320 }),
    password: Type.String({ maxLength: 1024 }),
    code: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { examples: [{ email: 'ana@acme.example', password: 'correct horse battery staple' }] },
)

const LoginAnswer = Type.Object(SessionBody.properties, {
  examples: [
    {
      user: {
        id: '2',
        email: 'ana@acme.example',
        name: 'Ana',
        role: 'manager',
        affiliate_id: null,
        advertiser_id: null,
        disabled: false,
        two_factor: true,
        has_password: true,
        last_login_at: '2026-12-01T17:41:19.028Z',
        created_at: '2026-11-02T09:12:44.510Z',
        updated_at: '2026-11-02T09:20:03.118Z',
      },
      csrf_token: 'k7Qm2Vx9Lr4Tb8Zp1Nc6Hw3Ys0Fd5Ja',
      two_factor_setup_required: false,
    },
  ],
})

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
        operationId: 'acceptInvite',
        summary: 'Accept an invite',
        description:
          "Public: the invite's token is the credential. Sets the user's password (at least 12 characters, not a common one, not the email) and uses the invite up; then sign in.",
        tags,
        security: [],
        body: Type.Object({
          token: Type.String({ minLength: 1, maxLength: 200 }),
          password: Type.String({ maxLength: 1024 }),
        }),
        response: { 204: Type.Null(), ...ACCEPT_ERRORS },
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
        operationId: 'login',
        summary: 'Sign in',
        description:
          'Public. Sets the session cookie and answers with the user and the CSRF token to send as `X-CSRF-Token` on every change. With two-factor on, send `code` (TOTP or a recovery code). Repeated failures are limited per address and per email.',
        tags,
        security: [],
        body: LoginBody,
        response: { 200: LoginAnswer, ...LOGIN_ERRORS },
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
    {
      schema: {
        operationId: 'logout',
        summary: 'Sign out',
        description:
          "Public, so a stale cookie can always be cleared. Ends the cookie's session (a live one must send its `X-CSRF-Token`) and clears the cookie.",
        tags,
        security: [],
        response: { 204: Type.Null(), ...LOGOUT_ERRORS },
      },
    },
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
