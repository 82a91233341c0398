import { findOfferRow, parseStoredCaps, presentCaps } from '../catalog/index.ts'
import type { Db } from '../db/database.ts'
import { currencyDigits, formatDecimal } from '../shared/money.ts'
import { readCounters } from './conversion-counters.ts'
import { capSlot } from './screen-conversions.ts'

export interface CapUsage {
  metric: 'conversions' | 'payout' | 'clicks'
  period: 'day' | 'week' | 'month' | 'total'
  limit: number
  affiliate_id: string | null
  /** Counted so far in the current window; null for click caps (counted on the tracking link). */
  used: number | null
  window_start: string
}

/** An offer's conversion and payout caps with how much of each the current window has used. */
export async function capUsage(
  db: Db,
  offerId: number,
  now: number,
): Promise<{ time_zone: string; caps: CapUsage[] }> {
  const offer = await findOfferRow(db, offerId)
  const digits = currencyDigits(offer.currency) ?? 2
  const caps = parseStoredCaps(offer.caps)
  const slots = caps.map((cap) => capSlot(offerId, cap, offer.time_zone, now))
  const used = await readCounters(db, slots)
  const shown = presentCaps(caps, digits)
  return {
    time_zone: offer.time_zone,
    caps: caps.map((cap, i) => {
      const slot = slots[i]!
      const total = used.get(`${slot.key}\u0000${slot.windowStart}`) ?? 0
      return {
        ...shown[i]!,
        used:
          cap.metric === 'clicks'
            ? null
            : cap.metric === 'payout'
              ? formatDecimal(total, digits)
              : total,
        window_start: new Date(slot.windowStart).toISOString(),
      }
    }),
  }
}
