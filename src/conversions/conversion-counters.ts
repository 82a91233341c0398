import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { reusableQuery } from '../db/reusable-query.ts'

/** One counter row: a key (what is counted) in a window. */
export interface CounterSlot {
  key: string
  windowStart: number
  expiresAt: number | null
}

const slotId = (slot: { key: string; windowStart: number }) =>
  `${slot.key}\u0000${slot.windowStart}`

/**
 * Adds to several counters with one statement and returns each counter's total after the
 * addition. The upsert locks each row until the transaction ends, so concurrent transactions
 * (and processes) add one after the other and every total is exact. Rows are written in key
 * order, so two transactions never wait on each other's rows in opposite orders.
 */
export async function addToCounters(
  tx: Db,
  additions: ReadonlyArray<CounterSlot & { amount: number }>,
): Promise<Map<string, number>> {
  const merged = new Map<string, CounterSlot & { amount: number }>()
  for (const addition of additions) {
    const id = slotId(addition)
    const seen = merged.get(id)
    if (seen) seen.amount += addition.amount
    else merged.set(id, { ...addition })
  }
  if (merged.size === 0) return new Map()
  const rows = [...merged.values()]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.windowStart - b.windowStart))
    .map((slot) => ({
      key: slot.key,
      window_start: slot.windowStart,
      used: slot.amount,
      expires_at: slot.expiresAt,
    }))
  const totals = await tx
    .insertInto('conversion_counters')
    .values(rows)
    .onConflict((conflict) =>
      conflict
        .columns(['key', 'window_start'])
        .doUpdateSet({ used: sql`conversion_counters.used + excluded.used` }),
    )
    .returning(['key', 'window_start', 'used'])
    .execute()
  return new Map(
    totals.map((row) => [
      slotId({ key: row.key, windowStart: Number(row.window_start) }),
      Number(row.used),
    ]),
  )
}

/** The total a counter reached, from `addToCounters`' answer. */
export function totalOf(totals: Map<string, number>, slot: CounterSlot): number {
  return totals.get(slotId(slot)) ?? 0
}

/**
 * Adds `amount` to a counter unless that takes it past `limit`; says whether it did. The check
 * and the addition are one statement on the locked row, so of fifty concurrent conversions
 * against a cap of ten exactly ten get in, on either engine and across processes.
 */
export async function addWithinLimit(
  tx: Db,
  slot: CounterSlot,
  amount: number,
  limit: number,
): Promise<boolean> {
  if (amount > limit) return false
  const rows = await upsertWithinLimit(
    tx,
    slot.key,
    slot.windowStart,
    amount,
    slot.expiresAt,
    limit,
  )
  return rows.length > 0
}

// Compiled once: every conversion of a capped offer runs it, once per cap.
const upsertWithinLimit = reusableQuery(
  5,
  (db, key: string, windowStart: number, amount: number, expiresAt: number | null, limit: number) =>
    db
      .insertInto('conversion_counters')
      .values({ key, window_start: windowStart, used: amount, expires_at: expiresAt })
      .onConflict((conflict) =>
        conflict
          .columns(['key', 'window_start'])
          .doUpdateSet({ used: sql`conversion_counters.used + excluded.used` })
          .where(sql<boolean>`conversion_counters.used + excluded.used <= ${limit}`),
      )
      .returning('used'),
)

/** Takes back an addition (a conversion that was not recorded after all). */
export async function subtractFromCounter(
  tx: Db,
  slot: CounterSlot,
  amount: number,
): Promise<void> {
  await tx
    .updateTable('conversion_counters')
    .set({ used: sql`used - ${amount}` })
    .where('key', '=', slot.key)
    .where('window_start', '=', slot.windowStart)
    .execute()
}

/** What counters hold now, for showing a cap's use. */
export async function readCounters(
  db: Db,
  slots: readonly CounterSlot[],
): Promise<Map<string, number>> {
  const found = new Map<string, number>()
  for (const slot of slots) {
    const row = await db
      .selectFrom('conversion_counters')
      .select('used')
      .where('key', '=', slot.key)
      .where('window_start', '=', slot.windowStart)
      .executeTakeFirst()
    found.set(slotId(slot), row ? Number(row.used) : 0)
  }
  return found
}

/** Deletes counter rows whose window is over. */
export async function pruneCounters(db: Db, now: number): Promise<void> {
  await db.deleteFrom('conversion_counters').where('expires_at', '<', now).execute()
}
