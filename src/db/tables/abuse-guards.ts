/** A Standard Webhooks id seen from an advertiser, kept for the signature's tolerance window. */
export interface WebhookIdsTable {
  advertiser_id: number
  webhook_id: string
  seen_at: number
  /** The conversion the first delivery recorded or found; null until its transaction has it. */
  conversion_id: number | null
}

/** Refusals from one source address in one fixed window, per kind of refusal (`bucket`). */
export interface RateLimitCountersTable {
  bucket: string
  ip: string
  window_start: number
  count: number
}

export interface AbuseGuardTables {
  webhook_ids: WebhookIdsTable
  rate_limit_counters: RateLimitCountersTable
}
