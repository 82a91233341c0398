import type { Db } from '../db/database.ts'
import { insertRows, type RowsInsert } from '../db/insert-rows.ts'
import type { ClicksTable } from '../db/tables/clicks.ts'
import type { ClickRecord } from './click-record.ts'

const CLICK_COLUMNS = [
  'click_id',
  'offer_id',
  'affiliate_id',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'source',
  'ip',
  'user_agent',
  'referrer',
  'country',
  'device_type',
  'os',
  'browser',
  'is_bot',
  'is_unique',
  'created_at',
] as const satisfies ReadonlyArray<keyof ClicksTable>

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

/** A click's values in CLICK_COLUMNS order, flags as 0 or 1 as both engines store them. */
export function clickValues(click: ClickRecord): unknown[] {
  return [
    click.clickId,
    click.offerId,
    click.affiliateId,
    click.sub1,
    click.sub2,
    click.sub3,
    click.sub4,
    click.sub5,
    click.source,
    click.ip,
    click.userAgent,
    click.referrer,
    click.country,
    click.deviceType,
    click.os,
    click.browser,
    click.isBot ? 1 : 0,
    click.isUnique ? 1 : 0,
    click.clickedAt,
  ]
}
