import type { Db } from '../db/database.ts'
import type { DeliveryEvent } from './delivery-event.ts'
import { type EndpointOwnerColumns, macrosForOwner } from './endpoint-macros.ts'
import { eventIdFor } from './event-id.ts'
import { renderRequest } from './render-request.ts'

/**
 * Queues one delivery per matching endpoint of the event's affiliate, of its offer's advertiser,
 * and of the network, in the caller's transaction
 * (the transactional outbox): the conversion and its postbacks commit together or not at all.
 * Returns how many were queued; a change queued twice is queued once.
 */
export async function enqueueDeliveries(tx: Db, event: DeliveryEvent): Promise<number> {
  return enqueueDeliveriesFor(tx, [event])
}

// Far below both engines' parameter limits at ~17 columns a row.
const ROWS_PER_STATEMENT = 1000

/**
 * `enqueueDeliveries` for many events at once (a group-commit batch of conversions): one read of
 * the endpoints of all their affiliates and one insert, instead of a read and an insert per event.
 */
export async function enqueueDeliveriesFor(
  tx: Db,
  events: readonly DeliveryEvent[],
): Promise<number> {
  if (events.length === 0) return 0
  const affiliateIds = [...new Set(events.map((event) => event.affiliateId))]
  const advertiserIds = [
    ...new Set(
      events.flatMap((event) => (event.advertiserId === undefined ? [] : [event.advertiserId])),
    ),
  ]
  const offerIds = [...new Set(events.map((event) => event.offerId))]
  const endpoints = await tx
    .selectFrom('postbacks')
    .select([
      'id',
      'affiliate_id',
      'advertiser_id',
      'offer_id',
      'url',
      'method',
      'body_template',
      'content_type',
      'goals',
      'statuses',
    ])
    .where((eb) =>
      eb.or([
        eb('affiliate_id', 'in', affiliateIds),
        ...(advertiserIds.length > 0 ? [eb('advertiser_id', 'in', advertiserIds)] : []),
        eb.and([eb('affiliate_id', 'is', null), eb('advertiser_id', 'is', null)]),
      ]),
    )
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('offer_id', 'is', null), eb('offer_id', 'in', offerIds)]))
    .orderBy('id')
    .execute()
  if (endpoints.length === 0) return 0
  const now = Date.now()
  const rows = events.flatMap((event) =>
    endpoints
      .filter(
        (endpoint) =>
          ownsEvent(endpoint, event) &&
          (endpoint.offer_id === null || endpoint.offer_id === event.offerId) &&
          matches(endpoint, event),
      )
      .map((endpoint) => {
        const eventId = eventIdFor(event.changeId, endpoint.id)
        const { names, values } = macrosForOwner(endpoint, event.macros)
        const request = renderRequest(endpoint, { ...values, event_id: eventId }, names)
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
      }),
  )
  let queued = 0
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const inserted = await tx
      .insertInto('deliveries')
      .values(rows.slice(i, i + ROWS_PER_STATEMENT))
      .onConflict((conflict) => conflict.column('event_id').doNothing())
      .returning('id')
      .execute()
    queued += inserted.length
  }
  return queued
}

function ownsEvent(endpoint: EndpointOwnerColumns, event: DeliveryEvent): boolean {
  if (endpoint.affiliate_id !== null) return endpoint.affiliate_id === event.affiliateId
  if (endpoint.advertiser_id !== null) return endpoint.advertiser_id === event.advertiserId
  return true
}

function matches(endpoint: { goals: string | null; statuses: string }, event: DeliveryEvent) {
  const statuses = JSON.parse(endpoint.statuses) as string[]
  if (!statuses.includes(event.status)) return false
  if (endpoint.goals === null) return true
  return (JSON.parse(endpoint.goals) as string[]).includes(event.goal)
}
