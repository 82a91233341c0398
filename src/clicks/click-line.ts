import type { QueuedClick } from './click-writer.ts'
import { clickValues } from './insert-click-rows.ts'

/**
 * A queued click as one JSON array: its column values, then its currency. The writer keeps
 * clicks this way between the redirect and their commit (20–40 ms): one flat string instead of
 * an object and the strings it points to. At tens of thousands of clicks a second those objects outlived two
 * young-generation collections and were promoted, 25 MB a second, which made V8 run a full
 * collection every second; a string is also what a thread message copies fastest.
 */
export type ClickLine = string

/** The click's column values (as `insertClickRows` stores them), then its currency. */
export function encodeClick(click: QueuedClick): ClickLine {
  const values = clickValues(click)
  values.push(click.currency)
  return JSON.stringify(values)
}

export function decodeClick(line: ClickLine): QueuedClick {
  const fields = JSON.parse(line)
  return {
    clickId: fields[0],
    offerId: fields[1],
    affiliateId: fields[2],
    sub1: fields[3],
    sub2: fields[4],
    sub3: fields[5],
    sub4: fields[6],
    sub5: fields[7],
    source: fields[8],
    ip: fields[9],
    userAgent: fields[10],
    referrer: fields[11],
    country: fields[12],
    deviceType: fields[13],
    os: fields[14],
    browser: fields[15],
    isBot: fields[16] === 1,
    isUnique: fields[17] === 1,
    clickedAt: fields[18],
    currency: fields[19],
  }
}

/** True when `line` is the click `clickId` (a click id is base64url: JSON leaves it as is). */
export function isLineOf(line: ClickLine, clickId: string): boolean {
  return line.startsWith(`["${clickId}",`)
}
