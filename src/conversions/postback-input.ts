import { isIP } from 'node:net'
import type { ClickIdParts } from '../clicks/index.ts'
import { decodeClickId } from '../clicks/index.ts'
import { AppError } from '../http/errors.ts'
import { currencyDigits, DecimalError, parseDecimal } from '../shared/money.ts'
import { type ConversionStatus, parsePostbackStatus } from './conversion-status.ts'
import type { PostbackParams } from './postback-params.ts'

const MAX_TXID_CHARS = 255
const MAX_GOAL_CHARS = 64
const MAX_ADV_CHARS = 500
const ADV_KEYS = ['adv1', 'adv2', 'adv3', 'adv4', 'adv5'] as const

/** The advertiser's own values on a conversion, null where none was sent. */
export type AdvValues = Record<(typeof ADV_KEYS)[number], string | null>

/** The click a postback names, checked against its MAC: no database read for a forged id. */
export function parseClickId(
  secret: Buffer,
  params: PostbackParams,
): { clickId: string; parts: ClickIdParts } {
  const clickId = params.click_id?.trim()
  if (clickId === undefined || clickId === '') {
    throw new AppError('missing_click_id', 'click_id is required (or clickid, cid, subid, …)')
  }
  const parts = decodeClickId(secret, clickId)
  if (!parts) throw new AppError('invalid_click_id', 'click_id is not a click id Backtrack issued')
  return { clickId, parts }
}

export interface ConversionRequest {
  goal: string
  txid: string | null
  status: ConversionStatus
  /** Minor units of the offer's currency; null when no amount was sent. */
  amount: number | null
  /** The revenue the advertiser reported, minor units; null when it sent none. */
  reportedRevenue: number | null
  adv: AdvValues
  /** The converting user's IP when the advertiser sent one. */
  ip: string | null
}

/** Goal, txid, status, currency and amount of a postback, checked against the offer's currency. */
export function parseConversionRequest(
  params: PostbackParams,
  offerCurrency: string,
): ConversionRequest {
  const goal = parseGoalKey(params)
  const txid = params.txid?.trim() || null
  if (txid !== null && txid.length > MAX_TXID_CHARS) {
    throw new AppError('validation_failed', `txid is longer than ${MAX_TXID_CHARS} characters`, [
      { field: 'txid', message: `longer than ${MAX_TXID_CHARS} characters` },
    ])
  }
  checkCurrency(params.currency, offerCurrency)
  return {
    goal,
    txid,
    status: parsePostbackStatus(params.status?.trim()),
    amount: parseMoney(params.amount, offerCurrency, 'amount'),
    reportedRevenue: parseMoney(params.revenue, offerCurrency, 'revenue'),
    adv: parseAdv(params),
    ip: parseIp(params.ip),
  }
}

// Refused when too long rather than cut, unlike a click's sub ids: the advertiser's server can
// be told, and a value it later matches on must be the value it sent.
function parseAdv(params: PostbackParams): AdvValues {
  const adv = {} as AdvValues
  for (const key of ADV_KEYS) {
    const value = params[key]
    if (value !== undefined && value.length > MAX_ADV_CHARS) {
      throw new AppError('validation_failed', `${key} is longer than ${MAX_ADV_CHARS} characters`, [
        { field: key, message: `longer than ${MAX_ADV_CHARS} characters` },
      ])
    }
    adv[key] = value === undefined ? null : value.toWellFormed()
  }
  return adv
}

function parseIp(value: string | undefined): string | null {
  const ip = value?.trim()
  if (!ip) return null
  if (isIP(ip) === 0) {
    throw new AppError('validation_failed', 'ip is not an IPv4 or IPv6 address', [
      { field: 'ip', message: 'is not an IP address' },
    ])
  }
  return ip
}

/** The goal key a postback names; `default` (the offer itself) when none. */
export function parseGoalKey(params: PostbackParams): string {
  const goal = params.goal?.trim() || 'default'
  if (goal.length > MAX_GOAL_CHARS) throw new AppError('unknown_goal', 'goal is not a goal key')
  return goal
}

// Conversions are recorded in the offer's currency only: converting would need exchange rates
// and a rule for which day's rate applies, and a wrong guess silently misreports money.
function checkCurrency(given: string | undefined, offerCurrency: string): void {
  if (given === undefined) return
  const code = given.trim().toUpperCase()
  if (currencyDigits(code) === undefined) {
    throw new AppError(
      'unknown_currency',
      `currency "${given.slice(0, 20)}" is not an ISO 4217 code`,
    )
  }
  if (code !== offerCurrency) {
    throw new AppError(
      'currency_mismatch',
      `the offer is in ${offerCurrency}; a conversion in ${code} cannot be recorded`,
    )
  }
}

function parseMoney(
  value: string | number | undefined,
  currency: string,
  field: 'amount' | 'revenue',
): number | null {
  if (value === undefined) return null
  try {
    return parseDecimal(value, currencyDigits(currency) ?? 2)
  } catch (error) {
    if (!(error instanceof DecimalError)) throw error
    throw new AppError('invalid_amount', `${field} ${error.message}`, [
      { field, message: error.message },
    ])
  }
}
