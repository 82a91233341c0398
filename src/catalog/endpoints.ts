import type { Selectable, SelectQueryBuilder } from 'kysely'
import { type Principal, recordChange } from '../access/index.ts'
import type { ConversionStatus } from '../conversions/index.ts'
import type { Db } from '../db/database.ts'
import type { PostbacksTable, Schema } from '../db/schema.ts'
import { storageOf } from '../db/storage.ts'
import { cancelDeliveries } from '../delivery/index.ts'
import { AppError } from '../http/errors.ts'
import { decodeCursor, type Page, toPage } from '../http/pagination.ts'
import { formatId, parseId } from '../shared/ids.ts'
import { generateSigningSecret } from '../shared/secrets.ts'
import { type EndpointInput, normalizeEndpoint } from './endpoint-input.ts'

type EndpointRow = Selectable<PostbacksTable>

/** How long a rotated-out signing secret keeps signing beside the new one. */
export const SECRET_ROTATION_OVERLAP_MS = 24 * 3_600_000

/** PATCH extras: secret rotation and the enabled switch (re-enabling resumes the queue). */
export interface EndpointPatch extends Partial<EndpointInput> {
  rotate_signing_secret?: boolean
  enabled?: boolean
}

export interface EndpointView {
  id: string
  /** Who the endpoint belongs to, and so which conversions it fires for. */
  owner: 'affiliate' | 'advertiser' | 'network'
  affiliate_id: string | null
  advertiser_id: string | null
  offer_id: string | null
  url: string
  method: 'GET' | 'POST'
  body_template: string | null
  content_type: string | null
  goals: string[] | null
  statuses: ConversionStatus[]
  sign: boolean
  signing_secret?: string
  /** While a rotated-out secret still signs alongside the new one. */
  previous_signing_secret_expires_at?: string
  /** False when disabled by hand or after failing for 24 h straight; its deliveries wait. */
  enabled: boolean
  disabled_at: string | null
  /** Start of the current run of failed attempts, if any. */
  failing_since: string | null
  created_at: string
  updated_at: string
}

/**
 * Creates an outbound endpoint. An affiliate or advertiser creates endpoints for itself only
 * (naming no owner means itself); staff may create them for anyone, or for the network.
 */
export async function createEndpoint(
  db: Db,
  input: EndpointInput,
  principal: Principal,
  allowPrivateTargets: boolean,
) {
  const owned = ownedInput(input, principal)
  const owner = await requireOwner(db, owned, principal)
  const offerId = await requireOffer(db, input.offer_id ?? null, input.goals ?? null, owner)
  const now = Date.now()
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('postbacks')
      .values({
        ...normalizeEndpoint(owned, allowPrivateTargets),
        ...owner,
        offer_id: offerId,
        signing_secret: input.sign ? generateSigningSecret() : null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const view = presentEndpoint(row)
    await recordChange(tx, { action: 'create', entity: 'postback', entityId: row.id, after: view })
    return view
  })
}

export async function getEndpoint(db: Db, id: number, principal: Principal): Promise<EndpointView> {
  return presentEndpoint(await findEndpointRow(db, id, principal))
}

export async function listEndpoints(
  db: Db,
  query: {
    limit: number
    cursor?: string
    affiliate_id?: string
    advertiser_id?: string
    owner?: EndpointView['owner']
    offer_id?: string
  },
  principal: Principal,
): Promise<Page<EndpointView>> {
  const after = decodeCursor(query.cursor)
  let select = db
    .selectFrom('postbacks')
    .selectAll()
    .where('deleted_at', 'is', null)
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
  if (after !== undefined) select = select.where('id', '<', after)
  select = scopeEndpoints(select, principal)
  if (query.affiliate_id !== undefined) {
    select = select.where('affiliate_id', '=', parseId(query.affiliate_id) ?? 0)
  }
  if (query.advertiser_id !== undefined) {
    select = select.where('advertiser_id', '=', parseId(query.advertiser_id) ?? 0)
  }
  if (query.owner === 'affiliate') select = select.where('affiliate_id', 'is not', null)
  if (query.owner === 'advertiser') select = select.where('advertiser_id', 'is not', null)
  if (query.owner === 'network') {
    select = select.where('affiliate_id', 'is', null).where('advertiser_id', 'is', null)
  }
  if (query.offer_id !== undefined)
    select = select.where('offer_id', '=', parseId(query.offer_id) ?? 0)
  return toPage(await select.execute(), query.limit, presentEndpoint)
}

/** Merges the patch into the current endpoint and checks the result as a whole. */
export async function updateEndpoint(
  db: Db,
  id: number,
  patch: EndpointPatch,
  principal: Principal,
  allowPrivateTargets: boolean,
): Promise<EndpointView> {
  // Read, merged and written in one transaction, the row locked: a concurrent change or delete
  // can neither be lost nor be recorded in the audit log against a stale "before".
  return db.transaction().execute(async (tx) => {
    const current = presentEndpoint(await findEndpointRow(tx, id, principal, { lock: true }))
    const merged: EndpointInput = { ...current, ...patch }
    const owner = await requireOwner(tx, merged, principal)
    const offerId = await requireOffer(tx, merged.offer_id ?? null, merged.goals ?? null, owner)
    const keepSecret = merged.sign && current.signing_secret !== undefined
    const rotate = keepSecret && patch.rotate_signing_secret === true
    const now = Date.now()
    const updated = await tx
      .updateTable('postbacks')
      .set({
        ...normalizeEndpoint(merged, allowPrivateTargets),
        ...owner,
        offer_id: offerId,
        signing_secret:
          keepSecret && !rotate
            ? current.signing_secret!
            : merged.sign
              ? generateSigningSecret()
              : null,
        ...(rotate
          ? {
              previous_signing_secret: current.signing_secret!,
              previous_secret_expires_at: now + SECRET_ROTATION_OVERLAP_MS,
            }
          : merged.sign
            ? {}
            : { previous_signing_secret: null, previous_secret_expires_at: null }),
        ...enabledChange(patch.enabled, now),
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    const after = presentEndpoint(updated)
    await recordChange(tx, {
      action: 'update',
      entity: 'postback',
      entityId: id,
      before: current,
      after,
    })
    return after
  })
}

// Re-enabling clears the endpoint's failure record, so its waiting deliveries are claimed again.
function enabledChange(enabled: boolean | undefined, now: number) {
  if (enabled === true) {
    return {
      disabled_at: null,
      consecutive_failures: 0,
      failing_since: null,
      circuit_open_until: null,
      circuit_cooldown_ms: null,
    }
  }
  return enabled === false ? { disabled_at: now } : {}
}

/**
 * Deletes an endpoint: it gets no new deliveries and its pending ones are cancelled, while the
 * endpoint row and its delivery history stay for reports and the deliveries list. Another
 * affiliate's endpoint, or one already deleted, is a 404.
 */
export async function deleteEndpoint(db: Db, id: number, principal: Principal): Promise<void> {
  const now = Date.now()
  await db.transaction().execute(async (tx) => {
    const before = presentEndpoint(await findEndpointRow(tx, id, principal, { lock: true }))
    const deleted = await tx
      .updateTable('postbacks')
      .set({ deleted_at: now, updated_at: now })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst()
    if (Number(deleted.numUpdatedRows) === 0) {
      throw new AppError('not_found', `postback ${id} not found`)
    }
    await cancelDeliveries(tx, id, now)
    await recordChange(tx, { action: 'delete', entity: 'postback', entityId: id, before })
  })
}

// A deleted endpoint is gone from the catalog API; its row stays for the delivery history.
// `lock`: inside a transaction that will change the row, held until it ends (PostgreSQL).
async function findEndpointRow(
  db: Db,
  id: number,
  principal: Principal,
  options: { lock?: boolean } = {},
): Promise<EndpointRow> {
  let select = db
    .selectFrom('postbacks')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
  select = scopeEndpoints(select, principal)
  if (options.lock) select = storageOf(db).lockForUpdate(select)
  const row = await select.executeTakeFirst()
  if (!row) throw new AppError('not_found', `postback ${id} not found`)
  return row
}

/** Only the endpoints a scoped caller owns; staff see every one. */
function scopeEndpoints<Query extends SelectQueryBuilder<Schema, 'postbacks', object>>(
  select: Query,
  principal: Principal,
): Query {
  if (principal.role === 'affiliate') {
    return select.where('affiliate_id', '=', principal.affiliateId) as Query
  }
  if (principal.role === 'advertiser') {
    return select.where('advertiser_id', '=', principal.advertiserId) as Query
  }
  return select
}

// An affiliate or advertiser that names no owner means itself.
function ownedInput(input: EndpointInput, principal: Principal): EndpointInput {
  if (input.affiliate_id != null || input.advertiser_id != null) return input
  if (principal.role === 'affiliate')
    return { ...input, affiliate_id: String(principal.affiliateId) }
  if (principal.role === 'advertiser') {
    return { ...input, advertiser_id: String(principal.advertiserId) }
  }
  return input
}

type Owner = { affiliate_id: number | null; advertiser_id: number | null }

/** The owner an input names, checked: one of them at most, existing, and the caller itself when scoped. */
async function requireOwner(db: Db, input: EndpointInput, principal: Principal): Promise<Owner> {
  const affiliate = input.affiliate_id ?? null
  const advertiser = input.advertiser_id ?? null
  if (affiliate !== null && advertiser !== null) {
    throw new AppError(
      'validation_failed',
      'an endpoint belongs to an affiliate or an advertiser, not both',
      [{ field: 'advertiser_id', message: 'give affiliate_id or advertiser_id, not both' }],
    )
  }
  const scopedId =
    principal.role === 'affiliate'
      ? principal.affiliateId
      : principal.role === 'advertiser'
        ? principal.advertiserId
        : undefined
  if (affiliate !== null) {
    const id = parseId(affiliate)
    if (principal.role === 'advertiser' || (principal.role === 'affiliate' && scopedId !== id)) {
      throw new AppError('not_found', `affiliate ${affiliate} not found`)
    }
    const row =
      id === undefined
        ? undefined
        : await db.selectFrom('affiliates').select('id').where('id', '=', id).executeTakeFirst()
    if (!row) throw new AppError('unknown_affiliate', `affiliate ${affiliate} does not exist`)
    return { affiliate_id: row.id, advertiser_id: null }
  }
  if (advertiser !== null) {
    const id = parseId(advertiser)
    if (principal.role === 'affiliate' || (principal.role === 'advertiser' && scopedId !== id)) {
      throw new AppError('not_found', `advertiser ${advertiser} not found`)
    }
    const row =
      id === undefined
        ? undefined
        : await db.selectFrom('advertisers').select('id').where('id', '=', id).executeTakeFirst()
    if (!row) throw new AppError('unknown_advertiser', `advertiser ${advertiser} does not exist`)
    return { affiliate_id: null, advertiser_id: row.id }
  }
  if (scopedId !== undefined) {
    throw new AppError('not_found', 'only the network may own an endpoint for every conversion')
  }
  return { affiliate_id: null, advertiser_id: null }
}

// With an offer named, the goal filter must use that offer's goal keys (or `default`); an
// advertiser's endpoint may only name one of its own offers (another's would never fire).
async function requireOffer(db: Db, text: string | null, goals: string[] | null, owner: Owner) {
  if (text === null) return null
  const id = parseId(text)
  const row =
    id === undefined
      ? undefined
      : await db
          .selectFrom('offers')
          .select(['id', 'advertiser_id'])
          .where('id', '=', id)
          .executeTakeFirst()
  if (!row || (owner.advertiser_id !== null && row.advertiser_id !== owner.advertiser_id)) {
    throw new AppError('unknown_offer', `offer ${text} does not exist`)
  }
  if (goals !== null) {
    const known = await db
      .selectFrom('offer_goals')
      .select('key')
      .where('offer_id', '=', row.id)
      .execute()
    const keys = new Set(['default', ...known.map((goal) => goal.key)])
    const unknown = goals.filter((goal) => !keys.has(goal))
    if (unknown.length > 0) {
      throw new AppError('unknown_goal', `offer ${text} has no goals ${unknown.join(', ')}`)
    }
  }
  return row.id
}

function presentEndpoint(row: EndpointRow): EndpointView {
  return {
    id: formatId(row.id),
    owner:
      row.affiliate_id !== null
        ? 'affiliate'
        : row.advertiser_id !== null
          ? 'advertiser'
          : 'network',
    affiliate_id: row.affiliate_id === null ? null : formatId(row.affiliate_id),
    advertiser_id: row.advertiser_id === null ? null : formatId(row.advertiser_id),
    offer_id: row.offer_id === null ? null : formatId(row.offer_id),
    url: row.url,
    method: row.method,
    body_template: row.body_template,
    content_type: row.content_type,
    goals: row.goals === null ? null : (JSON.parse(row.goals) as string[]),
    statuses: JSON.parse(row.statuses) as ConversionStatus[],
    sign: row.signing_secret !== null,
    ...(row.signing_secret !== null ? { signing_secret: row.signing_secret } : {}),
    ...(row.previous_secret_expires_at !== null && row.previous_secret_expires_at > Date.now()
      ? {
          previous_signing_secret_expires_at: new Date(
            row.previous_secret_expires_at,
          ).toISOString(),
        }
      : {}),
    enabled: row.disabled_at === null,
    disabled_at: row.disabled_at === null ? null : new Date(row.disabled_at).toISOString(),
    failing_since: row.failing_since === null ? null : new Date(row.failing_since).toISOString(),
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  }
}
