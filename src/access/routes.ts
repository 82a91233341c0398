import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { registerApiKeyRoutes } from './api-keys-routes.ts'
import { registerAuditLogRoutes } from './audit-log-routes.ts'
import { registerAuthRoutes } from './auth-routes.ts'
import { inviteMailer } from './invite-mail.ts'
import { registerMeRoutes } from './me-routes.ts'
import { registerUserRoutes } from './users-routes.ts'

/** Users, sign-in, the caller itself, API keys and the audit log. */
export function registerAccessRoutes(api: App, ctx: AppContext): void {
  registerAuthRoutes(api, ctx)
  registerMeRoutes(api, ctx)
  registerUserRoutes(api, ctx, inviteMailer(ctx.config))
  registerApiKeyRoutes(api, ctx)
  registerAuditLogRoutes(api, ctx)
}
