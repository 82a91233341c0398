import { isIP } from 'node:net'
import { recordChange } from '../access/index.ts'
import { bumpCatalogRevision } from '../catalog/index.ts'
import type { Db } from '../db/database.ts'
import type { BlocklistType } from '../db/tables/clicks.ts'
import { AppError } from '../http/errors.ts'
import { decodeCursor, type Page, toPage } from '../http/pagination.ts'
import { normalizeCidr } from '../shared/cidr.ts'
import { formatId, parseId } from '../shared/ids.ts'

export interface BlocklistInput {
  type: BlocklistType
  value: string
  offer_id?: string | null
}

export interface BlocklistEntryView {
  id: string
  type: BlocklistType
  value: string
  /** null: every offer of the network. */
  offer_id: string | null
  created_at: string
}

export interface BlocklistQuery {
  limit: number
  cursor?: string
  type?: BlocklistType
  /** An offer id, or `network` for the entries of every offer. */
  offer_id?: string
  value?: string
}

/** Adds an entry; the same type, value and scope twice is `409 conflict`. */
export async function createBlocklistEntry(
  db: Db,
  input: BlocklistInput,
): Promise<BlocklistEntryView> {
  const value = normalizeValue(input.type, input.value)
  const offerId = input.offer_id == null ? null : await requireOffer(db, input.offer_id)
  if (input.type === 'affiliate') await requireAffiliate(db, value)
  const view = await db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('blocklist')
      .values({ type: input.type, value, offer_id: offerId, created_at: Date.now() })
      .onConflict((conflict) => conflict.doNothing())
      .returningAll()
      .executeTakeFirst()
    if (!row) {
      throw new AppError('conflict', `${input.type} "${value}" is on this blocklist already`)
    }
    const view = present(row)
    await recordChange(tx, { action: 'create', entity: 'blocklist', entityId: row.id, after: view })
    return view
  })
  bumpCatalogRevision()
  return view
}

export async function listBlocklist(
  db: Db,
  query: BlocklistQuery,
): Promise<Page<BlocklistEntryView>> {
  const after = decodeCursor(query.cursor)
  let select = db
    .selectFrom('blocklist')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
  if (after !== undefined) select = select.where('id', '<', after)
  if (query.type !== undefined) select = select.where('type', '=', query.type)
  if (query.value !== undefined) select = select.where('value', '=', query.value)
  if (query.offer_id === 'network') select = select.where('offer_id', 'is', null)
  else if (query.offer_id !== undefined) {
    select = select.where('offer_id', '=', parseId(query.offer_id) ?? 0)
  }
  return toPage(await select.execute(), query.limit, present)
}

/** Removes an entry: clicks it blocked stay blocked, the next ones are judged without it. */
export async function deleteBlocklistEntry(db: Db, id: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = await tx
      .deleteFrom('blocklist')
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst()
    if (!row) throw new AppError('not_found', `blocklist entry ${id} not found`)
    await recordChange(tx, {
      action: 'delete',
      entity: 'blocklist',
      entityId: id,
      before: present(row),
    })
  })
  bumpCatalogRevision()
}

/**
 * IPs in their canonical text, CIDRs as `address/bits`, affiliates as ids; user-agent patterns
 * (matched as case-insensitive substrings), sub ids and sources as given.
 */
function normalizeValue(type: BlocklistType, text: string): string {
  const invalid = (message: string): never => {
    throw new AppError('validation_failed', `value ${message}`, [{ field: 'value', message }])
  }
  if (type === 'ip') {
    const ip = text.trim()
    const family = isIP(ip)
    if (family === 0) invalid(`"${text}" is not an IP address`)
    return family === 6 ? canonicalIpv6(ip) : ip
  }
  if (type === 'cidr') {
    const cidr = normalizeCidr(text) ?? invalid(`"${text}" is not a CIDR range`)
    const [address = '', bits] = cidr.split('/')
    return `${address.includes(':') ? canonicalIpv6(address) : address}/${bits}`
  }
  if (type === 'affiliate') {
    const id = parseId(text.trim())
    return id === undefined ? invalid(`"${text}" is not an affiliate id`) : String(id)
  }
  if (text.trim() === '') invalid('must not be empty')
  return text
}

async function requireOffer(db: Db, text: string): Promise<number> {
  const id = parseId(text)
  const row =
    id === undefined
      ? undefined
      : await db.selectFrom('offers').select('id').where('id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('unknown_offer', `offer ${text} does not exist`)
  return row.id
}

async function requireAffiliate(db: Db, text: string): Promise<void> {
  const row = await db
    .selectFrom('affiliates')
    .select('id')
    .where('id', '=', Number(text))
    .executeTakeFirst()
  if (!row) throw new AppError('unknown_affiliate', `affiliate ${text} does not exist`)
}

function present(row: {
  id: number
  type: BlocklistType
  value: string
  offer_id: number | null
  created_at: number
}): BlocklistEntryView {
  return {
    id: formatId(row.id),
    type: row.type,
    value: row.value,
    offer_id: row.offer_id === null ? null : formatId(row.offer_id),
    created_at: new Date(row.created_at).toISOString(),
  }
}

// RFC 5952 text (lower case, longest zero run as ::), as the WHATWG URL parser writes hosts.
function canonicalIpv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1)
}
