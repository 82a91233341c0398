// The reports domain, for other rooms and worker threads; its HTTP routes are in routes.ts.
export { applyRollups } from './apply-rollups.ts'
export { coverRange } from './cover-range.ts'
export { type LiveEvent, recordLiveEvents } from './live-events.ts'
export { purgeExpired, startRetention } from './retention.ts'
export { type ConversionState, conversionCounts, type RollupDelta } from './rollup-delta.ts'
export { familyFor, HOUR_MS } from './rollup-tiers.ts'
export { localTime, zonedToUtc } from './time-zone.ts'
