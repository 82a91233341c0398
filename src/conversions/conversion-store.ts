import type { Insertable, Selectable } from 'kysely'
import type { Db } from '../db/database.ts'
import { insertRows, type RowsInsert } from '../db/insert-rows.ts'
import { reusableQuery } from '../db/reusable-query.ts'
import type { ConversionHistoryTable, ConversionsTable } from '../db/tables/conversions.ts'

export type ConversionRow = Selectable<ConversionsTable>
export type NewConversion = Omit<Insertable<ConversionsTable>, 'id'>
export type HistoryRow = Selectable<ConversionHistoryTable>
export type NewHistory = Omit<Insertable<ConversionHistoryTable>, 'id'>

const CONVERSION_COLUMNS = [
  'click_id',
  'offer_id',
  'affiliate_id',
  'advertiser_id',
  'goal',
  'txid',
  'once_per_click',
  'status',
  'reason',
  'amount',
  'revenue',
  'payout',
  'reported_revenue',
  'currency',
  'adv1',
  'adv2',
  'adv3',
  'adv4',
  'adv5',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'source',
  'country',
  'device_type',
  'clicked_at',
  'seconds_to_convert',
  'created_at',
  'updated_at',
  'flags',
] as const satisfies ReadonlyArray<keyof NewConversion>

const CONVERSION_INSERT: RowsInsert = {
  table: 'conversions',
  columns: ['id', ...CONVERSION_COLUMNS],
  skipConflicts: true,
  returning: ['id'],
}

/**
 * Inserts conversions, each with its id given, except those a unique key (offer + txid, or click
 * + once-per-click goal) already holds: the constraint decides under concurrency, not a read
 * before the write, and of two rows of the same key in one call the first goes in. Returns the
 * ids inserted; a missing id is a duplicate. `on conflict do nothing` reads the same on both
 * engines.
 */
export async function insertConversionsUnlessDuplicate(
  tx: Db,
  rows: ReadonlyArray<NewConversion & { id: number }>,
): Promise<Set<number>> {
  const inserted = await insertRows<{ id: number }>(
    tx,
    CONVERSION_INSERT,
    rows.map((row) => [row.id, ...CONVERSION_COLUMNS.map((column) => row[column])]),
  )
  return new Set(inserted.map((row) => Number(row.id)))
}

export async function findConversionByTxid(
  db: Db,
  offerId: number,
  txid: string,
): Promise<ConversionRow | undefined> {
  return db
    .selectFrom('conversions')
    .selectAll()
    .where('offer_id', '=', offerId)
    .where('txid', '=', txid)
    .executeTakeFirst()
}

/** The conversion of a once-per-click goal on a click, if it has one. */
export async function findGoalConversion(
  db: Db,
  clickId: string,
  goal: string,
): Promise<ConversionRow | undefined> {
  return db
    .selectFrom('conversions')
    .selectAll()
    .where('click_id', '=', clickId)
    .where('goal', '=', goal)
    .where('once_per_click', '=', 1)
    .executeTakeFirst()
}

export async function findConversion(db: Db, id: number): Promise<ConversionRow | undefined> {
  return db.selectFrom('conversions').selectAll().where('id', '=', id).executeTakeFirst()
}

const HISTORY_COLUMNS = [
  'conversion_id',
  'from_status',
  'to_status',
  'source',
  'reason',
  'created_at',
] as const satisfies ReadonlyArray<keyof NewHistory>

const insertHistoryRow = reusableQuery(HISTORY_COLUMNS.length, (db, ...values: unknown[]) =>
  db
    .insertInto('conversion_history')
    .values(
      Object.fromEntries(HISTORY_COLUMNS.map((column, i) => [column, values[i]])) as NewHistory,
    )
    .returning('id'),
)

/** Records one status change; its id is the change id deliveries are keyed on. */
export async function insertHistory(tx: Db, values: NewHistory): Promise<number> {
  const [row] = await insertHistoryRow(tx, ...HISTORY_COLUMNS.map((column) => values[column]))
  return row!.id
}

const HISTORY_INSERT: RowsInsert = {
  table: 'conversion_history',
  columns: HISTORY_COLUMNS,
  returning: ['id', 'conversion_id'],
}

/**
 * Records the first status of new conversions, one row each; returns each conversion's change id.
 */
export async function insertFirstHistory(
  tx: Db,
  rows: readonly NewHistory[],
): Promise<Map<number, number>> {
  const inserted = await insertRows<{ id: number; conversion_id: number }>(
    tx,
    HISTORY_INSERT,
    rows.map((row) => HISTORY_COLUMNS.map((column) => row[column])),
  )
  return new Map(inserted.map((row) => [Number(row.conversion_id), Number(row.id)]))
}

export async function historyOf(db: Db, conversionIds: number[]): Promise<HistoryRow[]> {
  if (conversionIds.length === 0) return []
  return db
    .selectFrom('conversion_history')
    .selectAll()
    .where('conversion_id', 'in', conversionIds)
    .orderBy('id')
    .execute()
}
