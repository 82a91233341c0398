/**
 * Money is integer minor units from the edge to the database and back; rates given in percent are
 * integers in ten-thousandths of a percent. Arithmetic on them is BigInt, so nothing drifts.
 */

const MAX_INTEGER_DIGITS = 12
const DECIMAL = /^(\d+)(?:\.(\d+))?$/
export const PERCENT_DECIMALS = 4
const PERCENT_SCALE = 10n ** BigInt(PERCENT_DECIMALS)
const MAX_PERCENT = 1000

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'))

const digitsByCurrency = new Map<string, number>()

/** Minor-unit digits of an ISO 4217 code (as the runtime's CLDR data gives them), or undefined. */
export function currencyDigits(code: string): number | undefined {
  if (!KNOWN_CURRENCIES.has(code)) return undefined
  let digits = digitsByCurrency.get(code)
  if (digits === undefined) {
    // Building a NumberFormat costs microseconds; hot paths ask for the same few currencies.
    digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
      .maximumFractionDigits
    digitsByCurrency.set(code, digits ?? 2)
  }
  return digits
}

/** Why a decimal was refused, for the 400 message. */
export class DecimalError extends Error {}

/**
 * Parses a non-negative decimal given as a JSON number or a string into an integer scaled by
 * 10^digits. Refuses signs, exponents, hex, NaN, Infinity, more than 12 integer digits and more
 * significant decimals than `digits` (trailing zeros are fine: `10.00` JPY is 10).
 */
export function parseDecimal(value: unknown, digits: number): number {
  const text = typeof value === 'number' ? numberToText(value) : value
  if (typeof text !== 'string') throw new DecimalError('must be a decimal number')
  const match = DECIMAL.exec(text.trim())
  if (!match) throw new DecimalError(`"${truncate(String(value))}" is not a non-negative decimal`)
  const whole = match[1]!.replace(/^0+(?=\d)/, '')
  const fraction = (match[2] ?? '').replace(/0+$/, '')
  if (whole.length > MAX_INTEGER_DIGITS) {
    throw new DecimalError(`has more than ${MAX_INTEGER_DIGITS} integer digits`)
  }
  if (fraction.length > digits) {
    throw new DecimalError(`has more than ${digits} decimal places`)
  }
  return Number(BigInt(whole + fraction.padEnd(digits, '0')))
}

/** Minor units back to a JSON number; the division is exact to the shortest decimal that prints. */
export function formatDecimal(scaled: number, digits: number): number {
  return scaled / 10 ** digits
}

/** A percentage (0–1000, up to four decimals) as an integer in ten-thousandths of a percent. */
export function parsePercent(value: unknown): number {
  const scaled = parseDecimal(value, PERCENT_DECIMALS)
  if (scaled > MAX_PERCENT * Number(PERCENT_SCALE)) {
    throw new DecimalError(`must be at most ${MAX_PERCENT} percent`)
  }
  return scaled
}

/** `amountMinor × percent`, rounded half up to a whole minor unit. */
export function percentOf(amountMinor: number, scaledPercent: number): number {
  const divisor = 100n * PERCENT_SCALE
  const product = BigInt(amountMinor) * BigInt(scaledPercent)
  return Number((product * 2n + divisor) / (divisor * 2n))
}

function numberToText(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined
  // The shortest round-trip form is the literal the client wrote, for anything with ≤15 digits.
  const text = String(value)
  return /e/i.test(text) ? undefined : text
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}
