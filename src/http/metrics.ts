import { collectDefaultMetrics, Registry } from 'prom-client'
import { RequestMetrics } from './request-metrics.ts'

/** One registry per running app; capabilities add their own metrics to it. */
export interface Metrics {
  registry: Registry
  httpRequests: RequestMetrics
}

export function createMetrics(): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'backtrack_' })
  return { registry, httpRequests: new RequestMetrics(registry) }
}

/** Records one answered request (elapsed in milliseconds). */
export function observeRequest(metrics: Metrics) {
  return (method: string, route: string, status: number, elapsedMs: number): void => {
    metrics.httpRequests.route(method, route).record(status, elapsedMs / 1000)
  }
}
