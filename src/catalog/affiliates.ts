import { createApiKey, type Principal, recordChange, replaceAffiliateKey } from '../access/index.ts'
import type { Db } from '../db/database.ts'
import type { AffiliatesTable, OfferStatus } from '../db/schema.ts'
import { AppError } from '../http/errors.ts'
import { decodeCursor, type Page, toPage } from '../http/pagination.ts'
import { formatId } from '../shared/ids.ts'
import { bumpCatalogRevision } from './catalog-revision.ts'

type AffiliateRow = Omit<AffiliatesTable, 'id'> & { id: number }

export interface AffiliateView {
  id: string
  name: string
  status: OfferStatus
  /** Only in the response to create: the key is stored hashed and never shown again. */
  api_key?: string
  created_at: string
  updated_at: string
}

/** Creates an affiliate and its API key in one transaction. */
export async function createAffiliate(
  db: Db,
  input: { name: string; status?: OfferStatus },
): Promise<AffiliateView> {
  const created = await db.transaction().execute(async (tx) => {
    const now = Date.now()
    const row = await tx
      .insertInto('affiliates')
      .values({
        name: input.name,
        status: input.status ?? 'active',
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const apiKey = await createApiKey(tx, { role: 'affiliate', affiliateId: row.id })
    const after = presentAffiliate(row)
    await recordChange(tx, { action: 'create', entity: 'affiliate', entityId: row.id, after })
    return { ...after, api_key: apiKey }
  })
  bumpCatalogRevision()
  return created
}

/** A new API key for the affiliate, shown once; its previous key stops working at once. */
export async function rotateAffiliateKey(db: Db, id: number): Promise<{ api_key: string }> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('affiliates')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst()
    if (!row) throw notFound(id)
    const key = await replaceAffiliateKey(tx, id)
    // The audit log records that the key changed, never the key.
    await recordChange(tx, {
      action: 'rotate_key',
      entity: 'affiliate',
      entityId: id,
      before: { api_key: 'old' },
      after: { api_key: 'new' },
    })
    return { api_key: key }
  })
}

/** An affiliate key can read only its own record; any other id is a 404. */
export async function getAffiliate(
  db: Db,
  id: number,
  principal: Principal,
): Promise<AffiliateView> {
  if (principal.role === 'affiliate' && principal.affiliateId !== id) throw notFound(id)
  const row = await db.selectFrom('affiliates').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound(id)
  return presentAffiliate(row)
}

export async function listAffiliates(
  db: Db,
  query: { limit: number; cursor?: string; status?: OfferStatus },
  principal: Principal,
): Promise<Page<AffiliateView>> {
  const after = decodeCursor(query.cursor)
  let select = db
    .selectFrom('affiliates')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
  if (after !== undefined) select = select.where('id', '<', after)
  if (query.status !== undefined) select = select.where('status', '=', query.status)
  if (principal.role === 'affiliate') select = select.where('id', '=', principal.affiliateId)
  return toPage(await select.execute(), query.limit, presentAffiliate)
}

export async function updateAffiliate(
  db: Db,
  id: number,
  input: { name?: string; status?: OfferStatus },
): Promise<AffiliateView> {
  const row = await db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('affiliates')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    if (!before) throw notFound(id)
    const updated = await tx
      .updateTable('affiliates')
      // Columns are named one by one: a request body is never spread into a row.
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        updated_at: Date.now(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordChange(tx, {
      action: 'update',
      entity: 'affiliate',
      entityId: id,
      before: presentAffiliate(before),
      after: presentAffiliate(updated),
    })
    return updated
  })
  bumpCatalogRevision()
  return presentAffiliate(row)
}

function notFound(id: number): AppError {
  return new AppError('not_found', `affiliate ${id} not found`)
}

function presentAffiliate(row: AffiliateRow): AffiliateView {
  return {
    id: formatId(row.id),
    name: row.name,
    status: row.status,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  }
}
