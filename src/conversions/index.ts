// The conversions domain, for other rooms; its HTTP routes are in routes.ts.
export type { ConversionStatus } from './conversion-status.ts'
export { formatMinorUnits } from './money-text.ts'
export { startPostbackLogPruner } from './postback-log-pruner.ts'
