// The fraud domain, for other rooms: verdicts the click path asks for, each with its reason.
// Its HTTP routes are in routes.ts.
export { BLOCKED_REASONS, BLOCKLIST_TYPES, type BlockedReason } from './blocked-reason.ts'
export { ClickCaps, type ClickSequence } from './click-caps.ts'
export { blockedReasonOf, type OfferRules } from './click-verdict.ts'
export { CompiledBlocklist } from './compiled-blocklist.ts'
export { CompiledTargeting } from './compiled-targeting.ts'
