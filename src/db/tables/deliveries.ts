import type { Generated } from 'kysely'

/** `cancelled`: its endpoint was deleted before it was delivered; kept for the history. */
export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'cancelled'

/**
 * The outbox: one row per (status change, endpoint), with the request already rendered, so every
 * attempt sends the same content under the same event id.
 */
export interface DeliveriesTable {
  id: Generated<number>
  postback_id: number
  conversion_id: number
  change_id: number
  event_id: string
  state: DeliveryState
  method: 'GET' | 'POST'
  url: string
  body: string | null
  content_type: string | null
  /** When the conversion or status change happened, epoch ms (latency is measured from it). */
  occurred_at: number
  /** Next attempt, epoch ms; null once delivered or failed. */
  run_at: number | null
  /** Failed attempts since the delivery was last queued: the position in the retry schedule. */
  step: number
  attempt_count: number
  locked_by: string | null
  locked_until: number | null
  created_at: number
  updated_at: number
}

export interface DeliveryAttemptsTable {
  id: Generated<number>
  delivery_id: number
  at: number
  status_code: number | null
  duration_ms: number
  error: string | null
  /** The first 1 kB of the response body. */
  response_body: string | null
}

export interface DeliveryTables {
  deliveries: DeliveriesTable
  delivery_attempts: DeliveryAttemptsTable
}
