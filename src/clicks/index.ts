// The clicks domain, for other rooms and worker threads; its HTTP side is in routes.ts.
export { type ClickIdParts, decodeClickId, encodeClickId } from './click-id.ts'
export { registerClickMetrics } from './click-metrics.ts'
export { type ClickRecord, findClick } from './click-record.ts'
export { loadClickSecret } from './click-secret.ts'
export { type ClickTracking, startClickTracking } from './click-tracking.ts'
export { defaultUnwrittenClicksPath } from './unwritten-clicks.ts'
export { countryOf } from './visitor-profile.ts'
