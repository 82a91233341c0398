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
}

export interface ClickTables {
  clicks: ClicksTable
}
