import type { Principal } from '../access/index.ts'
import type { Db } from '../db/database.ts'
import { AppError } from '../http/errors.ts'
import type { Page } from '../http/pagination.ts'
import { parseTimeFilter } from '../http/time-filter.ts'
import { parseId } from '../shared/ids.ts'
import { type ClickRecord, toClickRecord } from './click-record.ts'

export interface ClickQuery {
  limit: number
  cursor?: string
  offer_id?: string
  affiliate_id?: string
  sub1?: string
  sub2?: string
  sub3?: string
  sub4?: string
  sub5?: string
  source?: string
  country?: string
  device?: string
  is_bot?: boolean
  is_unique?: boolean
  from?: string
  to?: string
}

const TEXT_FILTERS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'source', 'country'] as const

/**
 * Stored clicks newest first, filtered; an affiliate sees only its own. Clicks have no integer id,
 * so a page ends at (time, click id) and the next starts strictly after it: ties on the same
 * millisecond are ordered by click id and none is skipped or shown twice.
 */
export async function listClicks(
  db: Db,
  query: ClickQuery,
  principal: Principal,
): Promise<Page<ClickRecord>> {
  let select = db
    .selectFrom('clicks')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('click_id', 'desc')
    .limit(query.limit + 1)
  const after = decodeClickCursor(query.cursor)
  if (after) {
    // The plain bound lets both engines start the index scan at the cursor; the OR alone is a filter.
    select = select
      .where('created_at', '<=', after.at)
      .where((eb) =>
        eb.or([
          eb('created_at', '<', after.at),
          eb.and([eb('created_at', '=', after.at), eb('click_id', '<', after.clickId)]),
        ]),
      )
  }
  if (principal.role === 'affiliate') {
    select = select.where('affiliate_id', '=', principal.affiliateId)
  }
  if (query.offer_id !== undefined) {
    select = select.where('offer_id', '=', parseId(query.offer_id) ?? 0)
  }
  if (query.affiliate_id !== undefined) {
    select = select.where('affiliate_id', '=', parseId(query.affiliate_id) ?? 0)
  }
  for (const column of TEXT_FILTERS) {
    const value = query[column]
    if (value !== undefined) select = select.where(column, '=', value)
  }
  if (query.device !== undefined) select = select.where('device_type', '=', query.device)
  if (query.is_bot !== undefined) select = select.where('is_bot', '=', query.is_bot ? 1 : 0)
  if (query.is_unique !== undefined) {
    select = select.where('is_unique', '=', query.is_unique ? 1 : 0)
  }
  if (query.from !== undefined) {
    select = select.where('created_at', '>=', parseTimeFilter(query.from, 'from'))
  }
  if (query.to !== undefined) {
    select = select.where('created_at', '<', parseTimeFilter(query.to, 'to'))
  }
  const rows = (await select.execute()).map(toClickRecord)
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  return {
    data: page,
    next_cursor: rows.length > query.limit && last ? encodeClickCursor(last) : null,
  }
}

function encodeClickCursor(click: ClickRecord): string {
  return Buffer.from(`${click.clickedAt}~${click.clickId}`).toString('base64url')
}

function decodeClickCursor(cursor: string | undefined): { at: number; clickId: string } | null {
  if (cursor === undefined || cursor === '') return null
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  const match = /^(\d{1,15})~([A-Za-z0-9_-]{1,64})$/.exec(text)
  if (!match) throw new AppError('invalid_cursor', 'cursor is not valid')
  return { at: Number(match[1]), clickId: match[2]! }
}
