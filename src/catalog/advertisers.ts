import { recordChange } from '../access/index.ts'
import type { Db } from '../db/database.ts'
import type { AdvertisersTable } from '../db/schema.ts'
import { AppError } from '../http/errors.ts'
import { decodeCursor, type Page, toPage } from '../http/pagination.ts'
import { normalizeCidr } from '../shared/cidr.ts'
import { formatId } from '../shared/ids.ts'
import { generateSecret } from '../shared/secrets.ts'
import { bumpCatalogRevision } from './catalog-revision.ts'

type AdvertiserRow = Omit<AdvertisersTable, 'id'> & { id: number }

export interface AdvertiserInput {
  name?: string
  postback_ip_allowlist?: string[]
  /** Extension: issue a new postback token (the old one stops working at once). */
  regenerate_postback_token?: boolean
}

export interface AdvertiserView {
  id: string
  name: string
  postback_ip_allowlist: string[]
  postback_token: string
  postback_url: string
  created_at: string
  updated_at: string
}

/** Creates an advertiser with a fresh postback token. */
export async function createAdvertiser(
  db: Db,
  input: AdvertiserInput & { name: string },
  publicUrl: string,
): Promise<AdvertiserView> {
  const now = Date.now()
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('advertisers')
      .values({
        name: input.name,
        postback_token: generateSecret('', 24),
        postback_ip_allowlist: JSON.stringify(
          normalizeAllowlist(input.postback_ip_allowlist ?? []),
        ),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const view = presentAdvertiser(row, publicUrl)
    await recordChange(tx, {
      action: 'create',
      entity: 'advertiser',
      entityId: row.id,
      after: view,
    })
    return view
  })
}

export async function getAdvertiser(
  db: Db,
  id: number,
  publicUrl: string,
): Promise<AdvertiserView> {
  return presentAdvertiser(await findAdvertiserRow(db, id), publicUrl)
}

export async function listAdvertisers(
  db: Db,
  query: { limit: number; cursor?: string },
  publicUrl: string,
): Promise<Page<AdvertiserView>> {
  const after = decodeCursor(query.cursor)
  let select = db
    .selectFrom('advertisers')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
  if (after !== undefined) select = select.where('id', '<', after)
  const rows = await select.execute()
  return toPage(rows, query.limit, (row) => presentAdvertiser(row, publicUrl))
}

export async function updateAdvertiser(
  db: Db,
  id: number,
  input: AdvertiserInput,
  publicUrl: string,
): Promise<AdvertiserView> {
  const row = await db.transaction().execute(async (tx) => {
    const before = presentAdvertiser(await findAdvertiserRow(tx, id), publicUrl)
    const updated = await tx
      .updateTable('advertisers')
      .set({
        updated_at: Date.now(),
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.postback_ip_allowlist !== undefined
          ? {
              postback_ip_allowlist: JSON.stringify(
                normalizeAllowlist(input.postback_ip_allowlist),
              ),
            }
          : {}),
        ...(input.regenerate_postback_token ? { postback_token: generateSecret('', 24) } : {}),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    const after = presentAdvertiser(updated, publicUrl)
    await recordChange(tx, { action: 'update', entity: 'advertiser', entityId: id, before, after })
    return updated
  })
  // A new token or allowlist must reach the postback route's cache at once.
  bumpCatalogRevision()
  return presentAdvertiser(row, publicUrl)
}

async function findAdvertiserRow(db: Db, id: number): Promise<AdvertiserRow> {
  const row = await db.selectFrom('advertisers').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('not_found', `advertiser ${id} not found`)
  return row
}

function normalizeAllowlist(entries: string[]): string[] {
  const invalid = entries.filter((entry) => normalizeCidr(entry) === undefined)
  if (invalid.length > 0) {
    throw new AppError(
      'validation_failed',
      `postback_ip_allowlist has entries that are not IP addresses or CIDR ranges: ${invalid.join(', ')}`,
      invalid.map((entry) => ({
        field: 'postback_ip_allowlist',
        message: `"${entry}" is not a CIDR`,
      })),
    )
  }
  return [...new Set(entries.map((entry) => normalizeCidr(entry)!))]
}

function presentAdvertiser(row: AdvertiserRow, publicUrl: string): AdvertiserView {
  const postbackUrl =
    `${publicUrl}/postback?click_id={click_id}&txid={txid}&amount={amount}` +
    `&status={status}&goal={goal}&token=${row.postback_token}`
  return {
    id: formatId(row.id),
    name: row.name,
    postback_ip_allowlist: JSON.parse(row.postback_ip_allowlist) as string[],
    postback_token: row.postback_token,
    postback_url: postbackUrl,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  }
}
