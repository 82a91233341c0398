import { Counter, Gauge, type Registry } from 'prom-client'
import type { ClickWriter } from './click-writer.ts'

/** The click writer's queue on /metrics: what waits for the database, and what was given up. */
export function registerClickMetrics(registry: Registry, writer: ClickWriter): void {
  new Counter({
    name: 'backtrack_clicks_dropped_total',
    help: 'Clicks redirected but never stored: the queue was full while the database was unavailable.',
    registers: [registry],
    collect() {
      this.reset()
      this.inc(writer.dropped)
    },
  })
  new Gauge({
    name: 'backtrack_clicks_pending',
    help: 'Clicks redirected and waiting in memory to be stored.',
    registers: [registry],
    collect() {
      this.set(writer.backlog)
    },
  })
}
