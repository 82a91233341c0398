import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { registerConversionRoutes } from './conversions-routes.ts'
import { registerFraudSettingsRoutes } from './fraud-settings-routes.ts'
import { registerPostbackLogRoutes } from './postback-log-routes.ts'

/** Admin API: conversions (list, read, change status) and the inbound postback log. */
export function registerConversionAdminRoutes(api: App, ctx: AppContext): void {
  registerConversionRoutes(api, ctx)
  registerPostbackLogRoutes(api, ctx)
  registerFraudSettingsRoutes(api, ctx)
}

export { postbackRoutes } from './postback-route.ts'
