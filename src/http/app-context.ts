import type { ClickTracking } from '../clicks/index.ts'
import type { Config } from '../config.ts'
import type { Database } from '../db/database.ts'
import type { Metrics } from './metrics.ts'

/** What every capability's routes and background work are given at start. */
export interface AppContext {
  config: Config
  database: Database
  metrics: Metrics
  /** Click secret, catalog cache and group-commit writer behind the tracking link. */
  clicks: ClickTracking
}
