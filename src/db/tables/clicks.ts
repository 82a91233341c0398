import type { Generated } from 'kysely'

export interface ClicksTable {
  /** The self-describing click id (see src/clicks/click-id.ts). */
  click_id: string
  offer_id: number
  affiliate_id: number
  sub1: string | null
  sub2: string | null
  sub3: string | null
  sub4: string | null
  sub5: string | null
  source: string | null
  ip: string
  user_agent: string | null
  referrer: string | null
  /** ISO 3166-1 alpha-2, or null when the IP is private or unknown. */
  country: string | null
  device_type: string | null
  os: string | null
  browser: string | null
  is_bot: number
  is_unique: number
  /** Epoch milliseconds. */
  created_at: number
  /**
   * Why the click was sent to the fallback URL instead of the offer (targeting, blocklist, cap),
   * or null for a click that went through. Blocked clicks count as `blocked_clicks` in reports.
   */
  blocked_reason: string | null
}

export type BlocklistType =
  | 'ip'
  | 'cidr'
  | 'user_agent'
  | 'sub1'
  | 'sub2'
  | 'sub3'
  | 'sub4'
  | 'sub5'
  | 'source'
  | 'affiliate'

/** Values that block a click: network-wide when `offer_id` is null, else for that offer. */
export interface BlocklistTable {
  id: Generated<number>
  type: BlocklistType
  value: string
  offer_id: number | null
  created_at: number
}

export interface ClickTables {
  clicks: ClicksTable
  blocklist: BlocklistTable
}
