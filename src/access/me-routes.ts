import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { AppError } from '../http/errors.ts'
import { ADMIN_ERRORS } from '../http/schemas.ts'
import { SessionBody } from './access-schemas.ts'
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
    { schema: { tags, response: { 200: SessionBody, ...ADMIN_ERRORS } } },
    async (request) => {
      const { principal } = request
      const user = principal.userId === undefined ? null : await findUser(db, principal.userId)
      return {
        user: user && presentUser(user),
        csrf_token: request.sessionId === undefined ? null : csrfTokenFor(request.sessionId),
        two_factor_setup_required: principal.twoFactorSetupRequired ?? false,
      }
    },
  )
  api.post(
    '/me/password',
    {
      schema: {
        tags,
        description: 'Ends every session of the user, this one included: sign in again.',
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
        tags,
        description: 'Starts two-factor set-up: add the secret to an authenticator, then confirm.',
        response: {
          200: Type.Object({ secret: Type.String(), otpauth_url: Type.String() }),
          ...ADMIN_ERRORS,
        },
      },
    },
    async (request) => startTotpSetup(db, userIdOf(request.principal)),
  )
  api.post(
    '/me/totp/confirm',
    {
      schema: {
        tags,
        body: Type.Object({ code: Type.String({ maxLength: 16 }) }),
        response: {
          200: Type.Object({
            recovery_codes: Type.Array(Type.String(), { description: 'shown once' }),
          }),
          ...ADMIN_ERRORS,
        },
      },
    },
    async (request) => ({
      recovery_codes: await confirmTotp(db, userIdOf(request.principal), request.body.code),
    }),
  )
  api.delete(
    '/me/totp',
    { schema: { tags, response: { 204: Type.Null(), ...ADMIN_ERRORS } } },
    async (request, reply) => {
      await disableTotp(db, userIdOf(request.principal), config.require2fa)
      return reply.status(204).send(null)
    },
  )
}
