import type { App } from './app.ts'
import type { AppContext } from './app-context.ts'
import { FailureLimiter } from './failure-limiter.ts'
import { limitFailures } from './rate-limit.ts'

type LimitContext = Pick<AppContext, 'config' | 'database' | 'metrics'>

/** `/postback`: every refusal (4xx) counts against the sender's address. */
export function limitPostbackRefusals(scope: App, ctx: LimitContext): void {
  const rule = ctx.config.postbackRefusalLimit
  if (!rule) return
  const limiter = new FailureLimiter(ctx.database.db, 'postback_refusals', rule)
  limitFailures(scope, limiter, ctx.metrics.registry, (status) => status >= 400 && status < 500)
}

/** `/api`: a key that does not authenticate (401) counts against the caller's address. */
export function limitAuthFailures(scope: App, ctx: LimitContext): void {
  const rule = ctx.config.authFailureLimit
  if (!rule) return
  const limiter = new FailureLimiter(ctx.database.db, 'auth_failures', rule)
  limitFailures(scope, limiter, ctx.metrics.registry, (status) => status === 401)
}
