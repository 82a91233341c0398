import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client'

/** One registry per running app; capabilities add their own metrics to it. */
export interface Metrics {
  registry: Registry
  httpRequests: Counter<'method' | 'route' | 'status'>
  httpDuration: Histogram<'method' | 'route'>
}

export function createMetrics(): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'backtrack_' })
  return {
    registry,
    httpRequests: new Counter({
      name: 'backtrack_http_requests_total',
      help: 'HTTP requests answered, by route and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'backtrack_http_request_duration_seconds',
      help: 'Time from request to response, by route',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  }
}

/**
 * Records one answered request. Labelled children are looked up once per route and status and
 * kept, since resolving label values on every observation is most of the cost of a metric.
 */
export function observeRequest(metrics: Metrics) {
  const counters = new Map<string, { inc(): void }>()
  const histograms = new Map<string, { observe(value: number): void }>()
  return (method: string, route: string, status: number, elapsedMs: number): void => {
    const routeKey = `${method} ${route}`
    const countKey = `${routeKey} ${status}`
    let counter = counters.get(countKey)
    if (!counter) {
      counter = metrics.httpRequests.labels(method, route, String(status))
      counters.set(countKey, counter)
    }
    let histogram = histograms.get(routeKey)
    if (!histogram) {
      histogram = metrics.httpDuration.labels(method, route)
      histograms.set(routeKey, histogram)
    }
    counter.inc()
    histogram.observe(elapsedMs / 1000)
  }
}
