import type { Selectable } from 'kysely'
import type { Db } from '../db/database.ts'
import type { ClicksTable } from '../db/tables/clicks.ts'

/** A stored click, as the rest of Backtrack sees it. */
export interface ClickRecord {
  clickId: string
  offerId: number
  affiliateId: number
  sub1: string | null
  sub2: string | null
  sub3: string | null
  sub4: string | null
  sub5: string | null
  source: string | null
  ip: string
  userAgent: string | null
  referrer: string | null
  /** ISO 3166-1 alpha-2, or null when unknown. */
  country: string | null
  deviceType: string | null
  os: string | null
  browser: string | null
  isBot: boolean
  isUnique: boolean
  /** Epoch milliseconds. */
  clickedAt: number
  /** Why it went to the fallback URL (see `BlockedReason`), or null when it went through. */
  blockedReason: string | null
}

/** The stored click with this id, or undefined when it was never written (or not yet). */
export async function findClick(db: Db, clickId: string): Promise<ClickRecord | undefined> {
  const row = await db
    .selectFrom('clicks')
    .selectAll()
    .where('click_id', '=', clickId)
    .executeTakeFirst()
  return row && toClickRecord(row)
}

export function toClickRecord(row: Selectable<ClicksTable>): ClickRecord {
  return {
    clickId: row.click_id,
    offerId: row.offer_id,
    affiliateId: row.affiliate_id,
    sub1: row.sub1,
    sub2: row.sub2,
    sub3: row.sub3,
    sub4: row.sub4,
    sub5: row.sub5,
    source: row.source,
    ip: row.ip,
    userAgent: row.user_agent,
    referrer: row.referrer,
    country: row.country,
    deviceType: row.device_type,
    os: row.os,
    browser: row.browser,
    isBot: row.is_bot === 1,
    isUnique: row.is_unique === 1,
    clickedAt: row.created_at,
    blockedReason: row.blocked_reason,
  }
}
