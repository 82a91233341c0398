import { AppError } from '../http/errors.ts'
import { NUL_MESSAGE, showNul } from '../http/refuse-nul.ts'

/** The parameters of an inbound postback, by their canonical name, before validation. */
export interface PostbackParams {
  click_id?: string
  txid?: string
  goal?: string
  amount?: string | number
  /** The revenue the advertiser reports for this conversion. */
  revenue?: string | number
  status?: string
  currency?: string
  token?: string
  adv1?: string
  adv2?: string
  adv3?: string
  adv4?: string
  adv5?: string
  /** The converting user's address as the advertiser saw it (fraud rules compare countries). */
  ip?: string
}

type Canonical = keyof PostbackParams

/**
 * Every name a parameter goes by. The contract's aliases, plus the names the advertiser-side
 * templates of Binom (`cnv_id`, `cnv_status`), Keitaro (`tid`), Affise (`action_id`, `secure`) and
 * TUNE (`goal_id`) already use, so a pasted template works unchanged.
 */
export const PARAMETER_ALIASES: Readonly<Record<string, Canonical>> = {
  click_id: 'click_id',
  clickid: 'click_id',
  cid: 'click_id',
  subid: 'click_id',
  transaction_id: 'click_id',
  cnv_id: 'click_id',
  txid: 'txid',
  order_id: 'txid',
  conversion_id: 'txid',
  adv_sub: 'txid',
  tid: 'txid',
  action_id: 'txid',
  goal: 'goal',
  event: 'goal',
  goal_id: 'goal',
  amount: 'amount',
  sale_amount: 'amount',
  sum: 'amount',
  // Voluum's and Keitaro's advertiser templates send the conversion's value as `payout`: to the
  // advertiser it is what it pays, which is the network's revenue.
  revenue: 'revenue',
  payout: 'revenue',
  status: 'status',
  cnv_status: 'status',
  currency: 'currency',
  token: 'token',
  security_token: 'token',
  secure: 'token',
  adv1: 'adv1',
  adv2: 'adv2',
  adv3: 'adv3',
  adv4: 'adv4',
  adv5: 'adv5',
  ip: 'ip',
  user_ip: 'ip',
}

/** A parameter as it arrived: text from a query string or form, text or a number from JSON. */
export type RawValue = string | number

/** Every parameter received, name → values in arrival order (query string first, then body). */
export type RawParams = Map<string, RawValue[]>

/** Adds a query-string or form object (values are strings or arrays of strings) to `into`. */
export function addTextParams(into: RawParams, source: unknown): void {
  if (source === null || typeof source !== 'object') return
  for (const [name, value] of Object.entries(source)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string') append(into, name, item)
    }
  }
}

/** Adds a parsed JSON body: strings and numbers (or arrays of them); null means absent. */
export function addJsonParams(into: RawParams, body: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(body)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === null) continue
      if (typeof item === 'string' || typeof item === 'number') {
        append(into, name, item)
      } else if (name in PARAMETER_ALIASES) {
        throw new AppError('validation_failed', `${name} must be a string or a number`, [
          { field: name, message: 'must be a string or a number' },
        ])
      }
    }
  }
}

/**
 * Folds aliases onto canonical names. An empty value counts as absent (an unfilled template
 * slot); the same value given twice is fine; two different values for one parameter, under one
 * name or two aliases, are a 400 `duplicate_parameter`, since guessing which one is meant would
 * attribute or pay the wrong thing.
 */
export function canonicalParams(raw: RawParams): PostbackParams {
  refuseNul(raw)
  const found = new Map<Canonical, { names: string[]; value: RawValue }>()
  for (const [name, values] of raw) {
    const canonical = PARAMETER_ALIASES[name]
    if (canonical === undefined) continue
    for (const value of values) {
      if (value === '') continue
      const seen = found.get(canonical)
      if (!seen) {
        found.set(canonical, { names: [name], value })
      } else if (String(seen.value) !== String(value)) {
        const names = [...new Set([...seen.names, name])].join(' and ')
        throw new AppError(
          'duplicate_parameter',
          `${canonical} is given twice with different values (${names})`,
          [{ field: canonical, message: `different values in ${names}` }],
        )
      } else if (!seen.names.includes(name)) {
        seen.names.push(name)
      }
    }
  }
  const params: PostbackParams = {}
  for (const [canonical, { value }] of found) {
    if (canonical === 'amount' || canonical === 'revenue') params[canonical] = value
    else params[canonical] = String(value)
  }
  return params
}

function append(into: RawParams, name: string, value: RawValue): void {
  const values = into.get(name)
  if (values) values.push(value)
  else into.set(name, [value])
}

// The same rule as every API route (http/refuse-nul.ts), for every parameter, known or not, so the
// postback log never holds a value the conversion could not.
function refuseNul(raw: RawParams): void {
  for (const [name, values] of raw) {
    if (name.includes('\0') || values.some((value) => String(value).includes('\0'))) {
      const field = showNul(name)
      throw new AppError('validation_failed', `${field} ${NUL_MESSAGE}`, [
        { field, message: NUL_MESSAGE },
      ])
    }
  }
}
