import type { Insertable, Selectable } from 'kysely'
import type { Db } from '../db/database.ts'
import { insertRows, type RowsInsert } from '../db/insert-rows.ts'
import type { PostbackLogTable, PostbackResult } from '../db/tables/conversions.ts'
import { decodeCursor, type Page, toPage } from '../http/pagination.ts'
import { parseTimeFilter } from '../http/time-filter.ts'
import { formatId, parseId } from '../shared/ids.ts'
import type { PostbackWarning } from './conversion-money.ts'

export type PostbackLogEntry = Omit<Insertable<PostbackLogTable>, 'id'>

/** What is known of a call before its outcome: who sent what, and what it was about. */
export type PostbackLogDraft = Pick<
  PostbackLogEntry,
  | 'created_at'
  | 'method'
  | 'ip'
  | 'params'
  | 'auth'
  | 'click_id'
  | 'offer_id'
  | 'advertiser_id'
  | 'warnings'
>

const LOG_COLUMNS = [
  'created_at',
  'method',
  'ip',
  'params',
  'auth',
  'http_status',
  'result',
  'reason',
  'message',
  'conversion_id',
  'click_id',
  'offer_id',
  'advertiser_id',
  'warnings',
] as const satisfies ReadonlyArray<keyof PostbackLogEntry>

const LOG_INSERT: RowsInsert = { table: 'postback_log', columns: LOG_COLUMNS }

/** Appends log lines, in the caller's transaction: one statement for a whole batch of calls. */
export async function writePostbackLogs(
  db: Db,
  entries: readonly PostbackLogEntry[],
): Promise<void> {
  if (entries.length === 0) return
  await insertRows(
    db,
    LOG_INSERT,
    entries.map((entry) => LOG_COLUMNS.map((column) => entry[column])),
  )
}

export interface PostbackLogQuery {
  limit: number
  cursor?: string
  result?: PostbackResult
  advertiser_id?: string
  offer_id?: string
  click_id?: string
  conversion_id?: string
  reason?: string
  from?: string
  to?: string
}

export interface PostbackLogView {
  id: string
  at: string
  method: string
  ip: string
  params: Record<string, unknown>
  auth: string | null
  http_status: number
  result: PostbackResult
  reason: string | null
  message: string | null
  conversion_id: string | null
  click_id: string | null
  offer_id: string | null
  advertiser_id: string | null
  /** Money parameters an accepted call sent that its goal does not use. */
  warnings: PostbackWarning[]
}

/** The inbound postback log, newest first, filtered. */
export async function listPostbackLog(
  db: Db,
  query: PostbackLogQuery,
): Promise<Page<PostbackLogView>> {
  const after = decodeCursor(query.cursor)
  let select = db
    .selectFrom('postback_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
  if (after !== undefined) select = select.where('id', '<', after)
  if (query.result !== undefined) select = select.where('result', '=', query.result)
  if (query.reason !== undefined) select = select.where('reason', '=', query.reason)
  if (query.click_id !== undefined) select = select.where('click_id', '=', query.click_id)
  const ids = {
    advertiser_id: query.advertiser_id,
    offer_id: query.offer_id,
    conversion_id: query.conversion_id,
  } as const
  for (const [column, text] of Object.entries(ids) as Array<[keyof typeof ids, string]>) {
    if (text !== undefined) select = select.where(column, '=', parseId(text) ?? 0)
  }
  if (query.from !== undefined) {
    select = select.where('created_at', '>=', parseTimeFilter(query.from, 'from'))
  }
  if (query.to !== undefined)
    select = select.where('created_at', '<', parseTimeFilter(query.to, 'to'))
  return toPage(await select.execute(), query.limit, presentLogRow)
}

function presentLogRow(row: Selectable<PostbackLogTable>): PostbackLogView {
  const id = (value: number | null) => (value === null ? null : formatId(value))
  return {
    id: formatId(row.id),
    at: new Date(row.created_at).toISOString(),
    method: row.method,
    ip: row.ip,
    params: JSON.parse(row.params) as Record<string, unknown>,
    auth: row.auth,
    http_status: row.http_status,
    result: row.result,
    reason: row.reason,
    message: row.message,
    conversion_id: id(row.conversion_id),
    click_id: row.click_id,
    offer_id: id(row.offer_id),
    advertiser_id: id(row.advertiser_id),
    warnings: row.warnings === null ? [] : (JSON.parse(row.warnings) as PostbackWarning[]),
  }
}

/** Deletes up to `batch` log rows older than `before`; returns how many went. */
export async function prunePostbackLog(db: Db, before: number, batch: number): Promise<number> {
  const result = await db
    .deleteFrom('postback_log')
    .where(
      'id',
      'in',
      db
        .selectFrom('postback_log')
        .select('id')
        .where('created_at', '<', before)
        .orderBy('id')
        .limit(batch),
    )
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
