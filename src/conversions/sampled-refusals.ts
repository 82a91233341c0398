import type { FastifyRequest } from 'fastify'
import { Counter, type Registry } from 'prom-client'
import { RefusalSampler, skipRequestLog } from '../http/refusal-sampler.ts'

/** Says whether a refused call keeps its log lines; false drops both and counts it. */
export type RefusalLogSampler = (request: FastifyRequest) => boolean

/**
 * Past the sampling rate, a refused call gets neither its postback log row nor its request log
 * line, only a count in `backtrack_postback_log_dropped_total`: a flood of refusals must not fill
 * the disk. Accepted calls are logged with their conversion and never reach this.
 */
export function refusalLogSampler(registry: Registry): RefusalLogSampler {
  const sampler = new RefusalSampler()
  const dropped = droppedCounter(registry)
  return (request) => {
    if (sampler.keep(request.ip, Date.now())) return true
    skipRequestLog(request)
    dropped.inc()
    return false
  }
}

function droppedCounter(registry: Registry): Counter {
  return (
    (registry.getSingleMetric('backtrack_postback_log_dropped_total') as Counter | undefined) ??
    new Counter({
      name: 'backtrack_postback_log_dropped_total',
      help: 'Refused postbacks not written to the postback log or the request log (sampled out)',
      registers: [registry],
    })
  )
}
