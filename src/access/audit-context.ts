import { AsyncLocalStorage } from 'node:async_hooks'
import type { Actor } from './roles.ts'

/** Who is making the changes of the current API request, and from where. */
export interface AuditContext {
  actor: Actor
  ip: string
}

// Each API handler runs inside its caller's context (see http/auth.ts), so the domain functions
// that write the audit log in their own transaction need no extra parameter threaded through
// every signature; a change made outside a request (start-up, tests of the domain) is not logged.
const storage = new AsyncLocalStorage<AuditContext>()

export function runAsCaller<T>(context: AuditContext, work: () => T): T {
  return storage.run(context, work)
}

export function currentCaller(): AuditContext | undefined {
  return storage.getStore()
}
