import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { registerBlocklistRoutes } from './blocklist-routes.ts'

/** Admin API of the fraud room: blocklists. */
export function registerFraudRoutes(api: App, ctx: AppContext): void {
  registerBlocklistRoutes(api, ctx)
}
