import type { Selectable } from 'kysely'
import type { Principal } from '../access/index.ts'
import type { Db } from '../db/database.ts'
import type { DeliveriesTable, DeliveryState } from '../db/tables/deliveries.ts'
import { AppError } from '../http/errors.ts'
import { decodeCursor, type Page } from '../http/pagination.ts'
import { parseTimeFilter } from '../http/time-filter.ts'
import { formatId, parseId } from '../shared/ids.ts'

type DeliveryRow = Selectable<DeliveriesTable>

export interface AttemptView {
  at: string
  status_code: number | null
  duration_ms: number
  error: string | null
  response_body: string | null
}

export interface DeliveryView {
  id: string
  postback_id: string
  conversion_id: string
  event_id: string
  state: DeliveryState
  attempts: AttemptView[]
  next_attempt_at: string | null
  request: { method: 'GET' | 'POST'; url: string; content_type: string | null; body: string | null }
  created_at: string
  updated_at: string
}

export interface DeliveryFilter {
  conversion_id?: string
  postback_id?: string
  state?: DeliveryState
  from?: string
  to?: string
}

/** Deliveries newest first with their attempts; an affiliate or advertiser sees its own endpoints' only. */
export async function listDeliveries(
  db: Db,
  query: DeliveryFilter & { limit: number; cursor?: string },
  principal: Principal,
): Promise<Page<DeliveryView>> {
  const after = decodeCursor(query.cursor)
  let select = filtered(db, query, principal)
    .selectAll('deliveries')
    .orderBy('deliveries.id', 'desc')
    .limit(query.limit + 1)
  if (after !== undefined) select = select.where('deliveries.id', '<', after)
  const rows = await select.execute()
  const page = rows.slice(0, query.limit)
  const views = await presentDeliveries(db, page)
  const last = page.at(-1)
  return {
    data: views,
    next_cursor:
      rows.length > query.limit && last ? Buffer.from(String(last.id)).toString('base64url') : null,
  }
}

export async function getDelivery(db: Db, id: number, principal: Principal) {
  const row = await scoped(db, principal)
    .selectAll('deliveries')
    .where('deliveries.id', '=', id)
    .executeTakeFirst()
  if (!row) throw new AppError('not_found', `delivery ${id} not found`)
  return (await presentDeliveries(db, [row]))[0]!
}

/**
 * Queues one delivery again now, with a fresh run through the retry schedule and the same event
 * id. One being sent right now is a 409: queuing it again could send it twice at once; so is one
 * whose endpoint was deleted.
 */
export async function retryDelivery(db: Db, id: number, principal: Principal) {
  const row = await scoped(db, principal)
    .select('postbacks.deleted_at')
    .where('deliveries.id', '=', id)
    .executeTakeFirst()
  if (!row) throw new AppError('not_found', `delivery ${id} not found`)
  if (row.deleted_at !== null) {
    throw new AppError('conflict', `delivery ${id} belongs to a deleted postback endpoint`)
  }
  const now = Date.now()
  const updated = await db
    .updateTable('deliveries')
    .set(requeued(now))
    .where('id', '=', id)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) === 0) {
    throw new AppError('conflict', `delivery ${id} is being sent right now; try again shortly`)
  }
  return getDelivery(db, id, principal)
}

/**
 * Bulk replay: queues again every delivery matching the filter (default: the failed ones), leaving
 * out those of deleted endpoints.
 */
export async function retryDeliveries(
  db: Db,
  filter: DeliveryFilter,
  principal: Principal,
): Promise<{ queued: number }> {
  const now = Date.now()
  const ids = filtered(db, { state: 'failed', ...filter }, principal)
    .where('postbacks.deleted_at', 'is', null)
    .select('deliveries.id')
  const updated = await db
    .updateTable('deliveries')
    .set(requeued(now))
    .where('id', 'in', ids)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .executeTakeFirst()
  return { queued: Number(updated.numUpdatedRows) }
}

function requeued(now: number) {
  return {
    state: 'pending' as const,
    run_at: now,
    step: 0,
    locked_by: null,
    locked_until: null,
    updated_at: now,
  }
}

function scoped(db: Db, principal: Principal) {
  let select = db
    .selectFrom('deliveries')
    .innerJoin('postbacks', 'postbacks.id', 'deliveries.postback_id')
  if (principal.role === 'affiliate') {
    select = select.where('postbacks.affiliate_id', '=', principal.affiliateId)
  }
  if (principal.role === 'advertiser') {
    select = select.where('postbacks.advertiser_id', '=', principal.advertiserId)
  }
  return select
}

function filtered(db: Db, filter: DeliveryFilter, principal: Principal) {
  let select = scoped(db, principal)
  if (filter.conversion_id !== undefined) {
    select = select.where('deliveries.conversion_id', '=', parseId(filter.conversion_id) ?? 0)
  }
  if (filter.postback_id !== undefined) {
    select = select.where('deliveries.postback_id', '=', parseId(filter.postback_id) ?? 0)
  }
  if (filter.state !== undefined) select = select.where('deliveries.state', '=', filter.state)
  if (filter.from !== undefined) {
    select = select.where('deliveries.created_at', '>=', parseTimeFilter(filter.from, 'from'))
  }
  if (filter.to !== undefined) {
    select = select.where('deliveries.created_at', '<', parseTimeFilter(filter.to, 'to'))
  }
  return select
}

async function presentDeliveries(db: Db, rows: DeliveryRow[]): Promise<DeliveryView[]> {
  const attempts =
    rows.length === 0
      ? []
      : await db
          .selectFrom('delivery_attempts')
          .selectAll()
          .where(
            'delivery_id',
            'in',
            rows.map((row) => row.id),
          )
          .orderBy('id')
          .execute()
  const byDelivery = new Map<number, AttemptView[]>()
  for (const attempt of attempts) {
    const list = byDelivery.get(attempt.delivery_id) ?? []
    list.push({
      at: new Date(attempt.at).toISOString(),
      status_code: attempt.status_code,
      duration_ms: attempt.duration_ms,
      error: attempt.error,
      response_body: attempt.response_body,
    })
    byDelivery.set(attempt.delivery_id, list)
  }
  return rows.map((row) => ({
    id: formatId(row.id),
    postback_id: formatId(row.postback_id),
    conversion_id: formatId(row.conversion_id),
    event_id: row.event_id,
    state: row.state,
    attempts: byDelivery.get(row.id) ?? [],
    next_attempt_at:
      row.state === 'pending' && row.run_at !== null ? new Date(row.run_at).toISOString() : null,
    request: { method: row.method, url: row.url, content_type: row.content_type, body: row.body },
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  }))
}
