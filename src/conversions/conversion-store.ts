import type { Insertable, Selectable } from 'kysely'
import type { Db } from '../db/database.ts'
import type { ConversionHistoryTable, ConversionsTable } from '../db/tables/conversions.ts'
import { reusableQuery } from './reusable-query.ts'

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
  'currency',
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
] as const satisfies ReadonlyArray<keyof NewConversion>

const insertUnlessDuplicate = reusableQuery(CONVERSION_COLUMNS.length, (db, ...values: unknown[]) =>
  db
    .insertInto('conversions')
    .values(
      Object.fromEntries(
        CONVERSION_COLUMNS.map((column, i) => [column, values[i]]),
      ) as NewConversion,
    )
    .onConflict((conflict) => conflict.doNothing())
    .returning('id'),
)

/**
 * Inserts a conversion unless a unique key (offer + txid, or click + once-per-click goal) already
 * holds one: the constraint decides under concurrency, not a read before the write. Undefined
 * means a duplicate; `on conflict do nothing` reads the same on both engines.
 */
export async function insertConversionUnlessDuplicate(
  tx: Db,
  values: NewConversion,
): Promise<number | undefined> {
  const [row] = await insertUnlessDuplicate(
    tx,
    ...CONVERSION_COLUMNS.map((column) => values[column]),
  )
  return row?.id
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

export async function historyOf(db: Db, conversionIds: number[]): Promise<HistoryRow[]> {
  if (conversionIds.length === 0) return []
  return db
    .selectFrom('conversion_history')
    .selectAll()
    .where('conversion_id', 'in', conversionIds)
    .orderBy('id')
    .execute()
}
