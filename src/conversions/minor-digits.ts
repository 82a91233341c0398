import { currencyDigits } from '../shared/money.ts'

// currencyDigits builds an Intl.NumberFormat per call, which costs more than a whole postback's
// arithmetic; the answer for a code never changes while the process runs.
const known = new Map<string, number | undefined>()

/** Minor-unit digits of an ISO 4217 code (undefined if unknown), remembered per code. */
export function minorDigits(code: string): number | undefined {
  if (known.has(code)) return known.get(code)
  const digits = currencyDigits(code)
  if (known.size < 1000) known.set(code, digits)
  return digits
}
