import type { Db } from '../db/database.ts'
import {
  applyRollups,
  conversionCounts,
  type LiveEvent,
  type RollupDelta,
  recordLiveEvents,
} from '../reports/index.ts'
import { formatId } from '../shared/ids.ts'
import { currencyDigits, formatDecimal } from '../shared/money.ts'
import type { ConversionStatus } from './conversion-status.ts'
import type { ConversionRow } from './conversion-store.ts'

/**
 * What a conversion's status changes do to the reports: rollup counters move (money counts while
 * approved, in the hour of the conversion) and the live feed gets an event. Gathered over a whole
 * group-commit batch and written once before its commit, so fifty postbacks cost one upsert per
 * rollup tier rather than fifty.
 */
export class ConversionEffects {
  readonly #rollups: RollupDelta[] = []
  readonly #live: LiveEvent[] = []

  /**
   * Records that `row` entered its current status from `from` (null: it is new) at `at`;
   * `fromReason` is the reason it had before, which tells whether it was held for review.
   */
  changed(
    row: ConversionRow,
    from: ConversionStatus | null,
    at: number,
    fromReason: string | null = null,
  ): void {
    const counts = conversionCounts(from, row.status, row)
    const held = Number(row.status === 'pending' && row.reason === 'held')
    const wasHeld = Number(from === 'pending' && fromReason === 'held')
    if (held !== wasHeld) counts.held_conversions = held - wasHeld
    if (from === null && row.flags !== null) counts.flagged_conversions = 1
    if (Object.keys(counts).length > 0) {
      this.#rollups.push({
        at: row.created_at,
        offerId: row.offer_id,
        affiliateId: row.affiliate_id,
        currency: row.currency,
        values: {
          goal: row.goal,
          country: row.country,
          device: row.device_type,
          source: row.source,
          sub1: row.sub1,
          sub2: row.sub2,
          sub3: row.sub3,
          sub4: row.sub4,
          sub5: row.sub5,
        },
        counts,
      })
    }
    this.#live.push(liveEvent(row, from, at))
  }

  /** Writes what was gathered, in the transaction about to commit. */
  async write(tx: Db): Promise<void> {
    await applyRollups(tx, this.#rollups)
    await recordLiveEvents(tx, this.#live)
  }
}

function liveEvent(row: ConversionRow, from: ConversionStatus | null, at: number): LiveEvent {
  const digits = currencyDigits(row.currency) ?? 2
  return {
    kind: 'conversion',
    affiliateId: row.affiliate_id,
    at,
    data: {
      conversion_id: formatId(row.id),
      click_id: row.click_id,
      offer_id: formatId(row.offer_id),
      affiliate_id: formatId(row.affiliate_id),
      goal: row.goal,
      txid: row.txid,
      status: row.status,
      previous_status: from,
      reason: row.reason,
      revenue: formatDecimal(row.revenue, digits),
      payout: formatDecimal(row.payout, digits),
      currency: row.currency,
      sub1: row.sub1,
      country: row.country,
      device: row.device_type,
      at: new Date(at).toISOString(),
    },
  }
}
