import { type Principal, recordChange, seesNetworkMoney } from '../access/index.ts'
import type { Db } from '../db/database.ts'
import { AppError } from '../http/errors.ts'
import { decodeCursor, type Page, toPage } from '../http/pagination.ts'
import { parseTimeFilter } from '../http/time-filter.ts'
import { parseId } from '../shared/ids.ts'
import { changeStatus } from './change-status.ts'
import { ConversionEffects } from './conversion-effects.ts'
import {
  type ConversionStatus,
  canTransition,
  parseStatus,
  transitionError,
} from './conversion-status.ts'
import { findConversion, historyOf } from './conversion-store.ts'
import {
  type ConversionAudience,
  type ConversionView,
  presentConversion,
} from './conversion-view.ts'

export interface ConversionQuery {
  limit: number
  cursor?: string
  offer_id?: string
  affiliate_id?: string
  advertiser_id?: string
  status?: ConversionStatus
  goal?: string
  click_id?: string
  txid?: string
  adv1?: string
  adv2?: string
  adv3?: string
  adv4?: string
  adv5?: string
  reason?: string
  flag?: string
  from?: string
  to?: string
}

const ADV_FILTERS = ['adv1', 'adv2', 'adv3', 'adv4', 'adv5'] as const

/** Conversions newest first; an affiliate key sees only its own. `from`/`to` are conversion time. */
export async function listConversions(
  db: Db,
  query: ConversionQuery,
  principal: Principal,
): Promise<Page<ConversionView>> {
  const after = decodeCursor(query.cursor)
  let select = db
    .selectFrom('conversions')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
  if (after !== undefined) select = select.where('id', '<', after)
  if (principal.role === 'affiliate') {
    select = select.where('affiliate_id', '=', principal.affiliateId)
  }
  if (principal.role === 'advertiser') {
    // Which affiliate sent a conversion is the network's to know, not even by filtering on it.
    if (query.affiliate_id !== undefined) {
      throw new AppError('hidden_field', 'affiliate_id is not visible to advertisers', [
        { field: 'affiliate_id', message: 'hidden from advertisers' },
      ])
    }
    select = select.where('advertiser_id', '=', principal.advertiserId)
  }
  for (const key of ADV_FILTERS) {
    const value = query[key]
    if (value !== undefined) select = select.where(key, '=', value)
  }
  const ids = {
    offer_id: query.offer_id,
    affiliate_id: query.affiliate_id,
    advertiser_id: query.advertiser_id,
  } as const
  for (const [column, text] of Object.entries(ids) as Array<[keyof typeof ids, string]>) {
    if (text !== undefined) select = select.where(column, '=', parseId(text) ?? 0)
  }
  if (query.status !== undefined) select = select.where('status', '=', query.status)
  if (query.goal !== undefined) select = select.where('goal', '=', query.goal)
  if (query.click_id !== undefined) select = select.where('click_id', '=', query.click_id)
  if (query.txid !== undefined) select = select.where('txid', '=', query.txid)
  if (query.reason !== undefined) select = select.where('reason', '=', query.reason)
  if (query.flag === 'any') select = select.where('flags', 'is not', null)
  else if (query.flag !== undefined) {
    // A rule name is one of a closed list (the route checks it), so it needs no escaping.
    select = select.where('flags', 'like', `%"rule":"${query.flag}"%`)
  }
  if (query.from !== undefined) {
    select = select.where('created_at', '>=', parseTimeFilter(query.from, 'from'))
  }
  if (query.to !== undefined)
    select = select.where('created_at', '<', parseTimeFilter(query.to, 'to'))
  const rows = await select.execute()
  const history = await historyOf(
    db,
    rows.slice(0, query.limit).map((row) => row.id),
  )
  return toPage(rows, query.limit, (row) =>
    presentConversion(
      row,
      history.filter((change) => change.conversion_id === row.id),
      audienceOf(principal),
    ),
  )
}

/** One conversion with its status history; another affiliate's is a 404. */
export async function getConversion(
  db: Db,
  id: number,
  principal: Principal,
): Promise<ConversionView> {
  const row = await findConversion(db, id)
  const hidden =
    (principal.role === 'affiliate' && principal.affiliateId !== row?.affiliate_id) ||
    (principal.role === 'advertiser' && principal.advertiserId !== row?.advertiser_id)
  if (!row || hidden) throw new AppError('not_found', `conversion ${id} not found`)
  return presentConversion(row, await historyOf(db, [id]), audienceOf(principal))
}

function audienceOf(principal: Principal): ConversionAudience {
  if (seesNetworkMoney(principal)) return 'network'
  return principal.role === 'advertiser' ? 'advertiser' : 'affiliate'
}

/**
 * Changes a conversion's status from the admin API: the same transition rules as postbacks,
 * a history row, and the matching postbacks queued in the same transaction. Asking for the status
 * it already has changes nothing.
 */
export async function updateConversionStatus(
  db: Db,
  id: number,
  input: { status: string; reason?: string | null },
  principal: Principal,
): Promise<ConversionView> {
  const to = parseStatus(input.status)
  await db.transaction().execute(async (tx) => {
    const row = await findConversion(tx, id)
    if (!row) throw new AppError('not_found', `conversion ${id} not found`)
    if (row.status === to) return
    if (!canTransition(row.status, to)) throw transitionError(row.status, to)
    const change = { to, source: 'api' as const, reason: input.reason ?? null, at: Date.now() }
    const effects = new ConversionEffects()
    if (!(await changeStatus(tx, effects, row, change))) {
      throw new AppError('conflict', `conversion ${id} changed status meanwhile; try again`)
    }
    await effects.write(tx)
    await recordChange(tx, {
      action: 'update',
      entity: 'conversion',
      entityId: id,
      before: { status: row.status, reason: row.reason },
      after: { status: to, reason: change.reason },
    })
  })
  return getConversion(db, id, principal)
}
