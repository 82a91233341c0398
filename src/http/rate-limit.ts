import { Counter, type Registry } from 'prom-client'
import type { App } from './app.ts'
import { type FailureLimiter, RateLimited } from './failure-limiter.ts'

/**
 * Limits the failures of one source address on the routes of `scope`: a request from an address
 * over its limit is answered `429 rate_limited` with `Retry-After` before any other work, and
 * each answer `isFailure` picks is counted (before it is sent, so the next request sees it).
 * A 429 itself is not counted: a client that keeps knocking is not locked out for longer.
 */
export function limitFailures(
  scope: App,
  limiter: FailureLimiter,
  registry: Registry,
  isFailure: (status: number) => boolean,
): void {
  const limited = limitedCounter(registry)
  scope.addHook('onRequest', async (request, reply) => {
    try {
      await limiter.check(request.ip, Date.now())
    } catch (error) {
      if (error instanceof RateLimited) {
        limited.inc({ bucket: limiter.bucket })
        reply.header('retry-after', String(error.retryAfterSeconds))
      }
      throw error
    }
  })
  scope.addHook('onSend', async (request, reply, payload) => {
    const status = reply.statusCode
    if (status !== 429 && isFailure(status)) {
      try {
        await limiter.fail(request.ip, Date.now())
      } catch (error) {
        request.log.error({ err: error }, 'could not count a failed request for rate limiting')
      }
    }
    return payload
  })
}

function limitedCounter(registry: Registry): Counter<'bucket'> {
  return (
    (registry.getSingleMetric('backtrack_rate_limited_total') as Counter<'bucket'> | undefined) ??
    new Counter({
      name: 'backtrack_rate_limited_total',
      help: 'Requests answered 429 because their address failed too often, by limit',
      labelNames: ['bucket'],
      registers: [registry],
    })
  )
}
