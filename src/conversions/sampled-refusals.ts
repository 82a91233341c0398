import type { FastifyReply, FastifyRequest } from 'fastify'
import { Counter, type Registry } from 'prom-client'
import { RefusalSampler, skipRequestLog } from '../http/refusal-sampler.ts'
import { traceOf } from './postback-trace.ts'

/**
 * An onSend hook, registered before the one that logs refusals: past the sampling rate, a refused
 * call gets neither its postback log row nor its request log line, only a count in
 * `backtrack_postback_log_dropped_total`. Accepted calls are logged with their conversion and
 * never reach this.
 */
export function sampleRefusalLogs(registry: Registry) {
  const sampler = new RefusalSampler()
  const dropped = droppedCounter(registry)
  return async (request: FastifyRequest, _reply: FastifyReply, payload: unknown) => {
    const trace = traceOf(request)
    if (trace.logged || sampler.keep(request.ip, Date.now())) return payload
    trace.logged = true
    skipRequestLog(request)
    dropped.inc()
    return payload
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
