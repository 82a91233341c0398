import { randomBytes } from 'node:crypto'
import { encodeClickId } from '../../src/clicks/click-id.ts'
import type { QueuedClick } from '../../src/clicks/click-writer.ts'

const secret = randomBytes(32)

/** A click as the redirect queues it, with a genuine id; `changes` replace any field. */
export function queuedClick(changes: Partial<QueuedClick> = {}): QueuedClick {
  const clickedAt = changes.clickedAt ?? Date.now()
  return {
    clickId: encodeClickId(secret, { offerId: 1, affiliateId: 1, clickedAt }),
    offerId: 1,
    affiliateId: 1,
    sub1: null,
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    source: null,
    ip: '127.0.0.1',
    userAgent: 'test',
    referrer: null,
    country: null,
    deviceType: null,
    os: null,
    browser: null,
    isBot: false,
    isUnique: true,
    clickedAt,
    blockedReason: null,
    currency: 'USD',
    ...changes,
  }
}
