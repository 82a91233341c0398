import { CLICK_AT, CLICK_COLUMNS, clickValues } from './click-columns.ts'
import type { QueuedClick } from './click-writer.ts'

/**
 * A queued click as one JSON array: its column values, then its currency. The writer keeps
 * clicks this way between the redirect and their commit (20–40 ms): one flat string instead of
 * an object and the strings it points to. At tens of thousands of clicks a second those objects outlived two
 * young-generation collections and were promoted, 25 MB a second, which made V8 run a full
 * collection every second; a string is also what a thread message copies fastest.
 */
export type ClickLine = string

/** The click's column values (in `CLICK_COLUMNS` order, as `insertClickRows` stores them), then its currency. */
export function encodeClick(click: QueuedClick): ClickLine {
  const values = clickValues(click)
  values.push(click.currency)
  return JSON.stringify(values)
}

export function decodeClick(line: ClickLine): QueuedClick {
  const fields = JSON.parse(line)
  // A line written before `blocked_reason` (the last column) existed is one value shorter.
  const current = fields.length > CLICK_COLUMNS.length
  return {
    clickId: fields[CLICK_AT.click_id],
    offerId: fields[CLICK_AT.offer_id],
    affiliateId: fields[CLICK_AT.affiliate_id],
    sub1: fields[CLICK_AT.sub1],
    sub2: fields[CLICK_AT.sub2],
    sub3: fields[CLICK_AT.sub3],
    sub4: fields[CLICK_AT.sub4],
    sub5: fields[CLICK_AT.sub5],
    source: fields[CLICK_AT.source],
    ip: fields[CLICK_AT.ip],
    userAgent: fields[CLICK_AT.user_agent],
    referrer: fields[CLICK_AT.referrer],
    country: fields[CLICK_AT.country],
    deviceType: fields[CLICK_AT.device_type],
    os: fields[CLICK_AT.os],
    browser: fields[CLICK_AT.browser],
    isBot: fields[CLICK_AT.is_bot] === 1,
    isUnique: fields[CLICK_AT.is_unique] === 1,
    clickedAt: fields[CLICK_AT.created_at],
    blockedReason: current ? fields[CLICK_AT.blocked_reason] : null,
    currency: fields.at(-1),
  }
}

/** True when `line` is the click `clickId` (a click id is base64url: JSON leaves it as is). */
export function isLineOf(line: ClickLine, clickId: string): boolean {
  return line.startsWith(`["${clickId}",`)
}
