import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { AppError } from '../http/errors.ts'
import { ADMIN_ERRORS, errorResponse } from '../http/schemas.ts'
import { formatId } from '../shared/ids.ts'
import { MeBody } from './access-schemas.ts'
import { changePassword } from './change-password.ts'
import type { Principal } from './roles.ts'
import { csrfTokenFor } from './sessions.ts'
import { confirmTotp, disableTotp, startTotpSetup } from './totp-setup.ts'
import { findUser, presentUser } from './users.ts'

function userIdOf(principal: Principal): number {
  if (principal.userId === undefined) {
    throw new AppError('forbidden', 'this key belongs to no user; sign in as one')
  }
  return principal.userId
}

/** The caller itself: who it is, its CSRF token, its two-factor. */
export function registerMeRoutes(api: App, { config, database }: AppContext): void {
  const tags = ['people']
  const { db } = database

  api.get(
    '/me',
    {
      schema: {
        operationId: 'getMe',
        summary: 'Who the caller is',
        description:
          "Any signed-in caller (a session or an API key), even a session that must set up two-factor first. Answers the caller's user (null for a key of no user), the session's CSRF token (null for keys) whether two-factor set-up is required, and the caller's `role` (with its `affiliate_id` or `advertiser_id`), which keys of no user have too.",
        tags,
        response: { 200: MeBody, 401: ADMIN_ERRORS[401] },
      },
    },
    async (request) => {
      const { principal } = request
      const user = principal.userId === undefined ? null : await findUser(db, principal.userId)
      return {
        user: user && presentUser(user),
        csrf_token: request.sessionId === undefined ? null : csrfTokenFor(request.sessionId),
        two_factor_setup_required: principal.twoFactorSetupRequired ?? false,
        role: principal.role,
        affiliate_id: principal.role === 'affiliate' ? formatId(principal.affiliateId) : null,
        advertiser_id: principal.role === 'advertiser' ? formatId(principal.advertiserId) : null,
      }
    },
  )
  api.post(
    '/me/password',
    {
      schema: {
        operationId: 'changeMyPassword',
        summary: 'Change my password',
        description:
          'Any signed-in user (a key of no user gets 403). Needs `current_password`; a wrong one counts towards the sign-in limit. Ends every session of the user, this one included: sign in again.',
        tags,
        body: Type.Object({
          current_password: Type.String({ maxLength: 1024 }),
          new_password: Type.String({ maxLength: 1024 }),
        }),
        response: { 204: Type.Null(), ...ADMIN_ERRORS },
      },
    },
    async (request, reply) => {
      await changePassword(db, userIdOf(request.principal), request.body, request.ip)
      return reply.status(204).send(null)
    },
  )
  api.post(
    '/me/totp',
    {
      schema: {
        operationId: 'startTotp',
        summary: 'Start two-factor set-up',
        description:
          'Any signed-in user (a key of no user gets 403), even a session that must set up two-factor first. Answers a new TOTP secret: add it to an authenticator, then confirm with a code. 409 when two-factor is on already.',
        tags,
        response: {
          200: Type.Object({ secret: Type.String(), otpauth_url: Type.String() }),
          ...ADMIN_ERRORS,
          409: errorResponse('`conflict`: two-factor is on already; turn it off first'),
        },
      },
    },
    async (request) => startTotpSetup(db, userIdOf(request.principal)),
  )
  api.post(
    '/me/totp/confirm',
    {
      schema: {
        operationId: 'confirmTotp',
        summary: 'Turn two-factor on',
        description:
          'Any signed-in user (a key of no user gets 403), even a session that must set up two-factor first. A code from the authenticator turns two-factor on; the answer holds the recovery codes, shown this once. 409 without a set-up started.',
        tags,
        body: Type.Object({ code: Type.String({ maxLength: 16 }) }),
        response: {
          200: Type.Object({
            recovery_codes: Type.Array(Type.String(), { description: 'shown once' }),
          }),
          ...ADMIN_ERRORS,
          400: errorResponse('`invalid_code`: the code is wrong; or `validation_failed`'),
          409: errorResponse('`conflict`: no set-up started (`POST /api/v1/me/totp` first)'),
        },
      },
    },
    async (request) => ({
      recovery_codes: await confirmTotp(db, userIdOf(request.principal), request.body.code),
    }),
  )
  api.delete(
    '/me/totp',
    {
      schema: {
        operationId: 'removeTotp',
        summary: 'Turn two-factor off',
        description:
          'Any signed-in user (a key of no user gets 403). Forbidden for admins and managers when BACKTRACK_REQUIRE_2FA=staff requires two-factor.',
        tags,
        response: { 204: Type.Null(), ...ADMIN_ERRORS },
      },
    },
    async (request, reply) => {
      await disableTotp(db, userIdOf(request.principal), config.require2fa)
      return reply.status(204).send(null)
    },
  )
}
