import type { Db } from '../db/database.ts'
import { insertRows, type RowsInsert } from '../db/insert-rows.ts'
import { CLICK_COLUMNS, clickValues } from './click-columns.ts'
import type { ClickRecord } from './click-record.ts'

const CLICK_INSERT: RowsInsert = {
  table: 'clicks',
  columns: CLICK_COLUMNS,
  skipConflicts: true,
  returning: ['click_id'],
  // storeClicks inserts in power-of-two chunks: nine statement shapes at most.
  prepare: true,
}

/** Inserts clicks, skipping ids already stored; returns the ids it did insert. */
export async function insertClickRows(tx: Db, clicks: readonly ClickRecord[]): Promise<string[]> {
  const inserted = await insertRows<{ click_id: string }>(tx, CLICK_INSERT, clicks.map(clickValues))
  return inserted.map((row) => row.click_id)
}
