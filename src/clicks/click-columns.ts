import type { ClicksTable } from '../db/tables/clicks.ts'
import type { ClickRecord } from './click-record.ts'

/**
 * The stored columns of a click, in the one order shared by the queued line (`click-line.ts`),
 * the insert (`insert-click-rows.ts`) and the line's decoder: each of them places a value by its
 * column's position here, so reordering this list reorders them all together and cannot put one
 * field's value into another's column.
 */
export const CLICK_COLUMNS = [
  'click_id',
  'offer_id',
  'affiliate_id',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'source',
  'ip',
  'user_agent',
  'referrer',
  'country',
  'device_type',
  'os',
  'browser',
  'is_bot',
  'is_unique',
  'created_at',
  // Last: a queued line from before it existed (a spilled file) is one value shorter.
  'blocked_reason',
] as const satisfies ReadonlyArray<keyof ClicksTable>

type ClickColumn = (typeof CLICK_COLUMNS)[number]

// Every column of the table is in the list: a column added to ClicksTable fails to compile here
// until it is.
const everyColumn: Exclude<keyof ClicksTable, ClickColumn> extends never ? true : never = true
// `isLineOf` finds a queued click by the start of its line.
const clickIdFirst: (typeof CLICK_COLUMNS)[0] extends 'click_id' ? true : never = true
void everyColumn
void clickIdFirst

/** Each column's position among a click's values. */
export const CLICK_AT = Object.fromEntries(CLICK_COLUMNS.map((column, at) => [column, at])) as {
  readonly [column in ClickColumn]: number
}

/** A click's values in CLICK_COLUMNS order, flags as 0 or 1 as both engines store them. */
export function clickValues(click: ClickRecord): unknown[] {
  // Stores by position rather than a literal array: the order is the list's, not this code's.
  const values = new Array<unknown>(CLICK_COLUMNS.length)
  values[CLICK_AT.click_id] = click.clickId
  values[CLICK_AT.offer_id] = click.offerId
  values[CLICK_AT.affiliate_id] = click.affiliateId
  values[CLICK_AT.sub1] = click.sub1
  values[CLICK_AT.sub2] = click.sub2
  values[CLICK_AT.sub3] = click.sub3
  values[CLICK_AT.sub4] = click.sub4
  values[CLICK_AT.sub5] = click.sub5
  values[CLICK_AT.source] = click.source
  values[CLICK_AT.ip] = click.ip
  values[CLICK_AT.user_agent] = click.userAgent
  values[CLICK_AT.referrer] = click.referrer
  values[CLICK_AT.country] = click.country
  values[CLICK_AT.device_type] = click.deviceType
  values[CLICK_AT.os] = click.os
  values[CLICK_AT.browser] = click.browser
  values[CLICK_AT.is_bot] = click.isBot ? 1 : 0
  values[CLICK_AT.is_unique] = click.isUnique ? 1 : 0
  values[CLICK_AT.created_at] = click.clickedAt
  values[CLICK_AT.blocked_reason] = click.blockedReason
  return values
}
