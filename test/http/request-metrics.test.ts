import { Counter, Histogram, Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { RequestMetrics } from '../../src/http/request-metrics.ts'

describe('HTTP request metrics', () => {
  it("exposes exactly what prom-client's own counter and histogram would", async () => {
    const ours = new Registry()
    const metrics = new RequestMetrics(ours)
    const reference = new Registry()
    const counter = new Counter({
      name: 'backtrack_http_requests_total',
      help: 'HTTP requests answered, by route and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [reference],
    })
    const histogram = new Histogram({
      name: 'backtrack_http_request_duration_seconds',
      help: 'Time from request to response, by route',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [reference],
    })
    const answers: Array<[string, string, number, number]> = [
      ['GET', '/c/:offer_id', 302, 0.0004],
      ['GET', '/c/:offer_id', 302, 0.001],
      ['GET', '/c/:offer_id', 404, 0.0011],
      ['HEAD', '/c/:offer_id', 302, 0.3],
      ['POST', '/api/v1/offers', 201, 0.012],
      ['POST', '/api/v1/offers', 400, 2.5],
      ['POST', '/api/v1/offers', 500, 7],
    ]
    for (const [method, route, status, seconds] of answers) {
      metrics.route(method, route).record(status, seconds)
      counter.inc({ method, route, status: String(status) })
      histogram.observe({ method, route }, seconds)
    }
    expect(await ours.metrics()).toBe(await reference.metrics())
    expect(await ours.metrics()).toContain(
      'backtrack_http_requests_total{method="GET",route="/c/:offer_id",status="302"} 2',
    )
  })
})
