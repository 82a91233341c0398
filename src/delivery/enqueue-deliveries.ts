import type { Db } from '../db/database.ts'
import type { DeliveryEvent } from './delivery-event.ts'
import { eventIdFor } from './event-id.ts'
import { renderRequest } from './render-request.ts'

/**
 * Queues one delivery per matching endpoint of the event's affiliate, in the caller's transaction
 * (the transactional outbox): the conversion and its postbacks commit together or not at all.
 * Returns how many were queued; a change queued twice is queued once.
 */
export async function enqueueDeliveries(tx: Db, event: DeliveryEvent): Promise<number> {
  const endpoints = await tx
    .selectFrom('postbacks')
    .select(['id', 'url', 'method', 'body_template', 'content_type', 'goals', 'statuses'])
    .where('affiliate_id', '=', event.affiliateId)
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('offer_id', 'is', null), eb('offer_id', '=', event.offerId)]))
    .orderBy('id')
    .execute()
  const now = Date.now()
  const rows = endpoints
    .filter((endpoint) => matches(endpoint, event))
    .map((endpoint) => {
      const eventId = eventIdFor(event.changeId, endpoint.id)
      const request = renderRequest(endpoint, { ...event.macros, event_id: eventId })
      return {
        postback_id: endpoint.id,
        conversion_id: event.conversionId,
        change_id: event.changeId,
        event_id: eventId,
        state: 'pending' as const,
        ...request,
        occurred_at: event.occurredAt,
        run_at: now,
        step: 0,
        attempt_count: 0,
        locked_by: null,
        locked_until: null,
        created_at: now,
        updated_at: now,
      }
    })
  if (rows.length === 0) return 0
  const inserted = await tx
    .insertInto('deliveries')
    .values(rows)
    .onConflict((conflict) => conflict.column('event_id').doNothing())
    .returning('id')
    .execute()
  return inserted.length
}

function matches(endpoint: { goals: string | null; statuses: string }, event: DeliveryEvent) {
  const statuses = JSON.parse(endpoint.statuses) as string[]
  if (!statuses.includes(event.status)) return false
  if (endpoint.goals === null) return true
  return (JSON.parse(endpoint.goals) as string[]).includes(event.goal)
}
