import type { Cap } from '../catalog/index.ts'
import type { Db } from '../db/database.ts'
import { coverRange, familyFor, HOUR_MS } from '../reports/index.ts'
import { capPeriodAt, type PeriodSpan } from './cap-period.ts'

/** Where the clicks of this process stand: how many were queued, and how many of the first are committed. */
export interface ClickSequence {
  /** Clicks handed to the writer so far: the next one's number. */
  added(): number
  /** Clicks written (or given up) so far; the writer keeps their order, so these are the first ones. */
  settled(): number
}

/** An offer's click caps, as the tracking catalog keeps them. */
export interface CappedOffer {
  id: number
  timeZone: string
  clickCaps: readonly Cap[]
}

interface CapState {
  offerId: number
  cap: Cap
  timeZone: string
  span: PeriodSpan
  /** Clicks of the period committed by every process, as last read. */
  stored: number
  /** Sequence numbers of this process's clicks counted since, maybe not yet committed. */
  own: number[]
}

const REFRESH_MS = 1000
const NO_CLICKS: ClickSequence = { added: () => 0, settled: () => 0 }

/**
 * Click caps, decided in memory so a click costs no database read: the count of a cap's period is
 * what every process had committed at the last read (a second ago at most, from the rollups) plus
 * the clicks this process let through since. Exact within one process; across processes a cap can
 * be passed by the clicks other processes took since the last read (see docs/decisions.md).
 */
export class ClickCaps {
  readonly #db: Db
  #sequence: ClickSequence = NO_CLICKS
  readonly #states = new Map<string, CapState>()
  #timer: NodeJS.Timeout | undefined
  #onError: (error: unknown) => void = () => {}

  constructor(db: Db) {
    this.#db = db
  }

  /** Counts this process's clicks through the writer from now on. */
  useSequence(sequence: ClickSequence): void {
    this.#sequence = sequence
  }

  start(onError: (error: unknown) => void): void {
    this.#onError = onError
    this.#timer = setInterval(() => void this.refresh(), REFRESH_MS)
    this.#timer.unref()
  }

  stop(): void {
    clearInterval(this.#timer)
  }

  /** Reads the current counts of caps not seen before, so the first click after a change is counted right. */
  async prepare(offers: Iterable<CappedOffer>, now: number): Promise<void> {
    const fresh: CapState[] = []
    const current = new Set<string>()
    for (const offer of offers) {
      for (const cap of offer.clickCaps) {
        const key = keyOf(offer.id, cap)
        current.add(key)
        const known = this.#states.get(key)
        if (known && known.timeZone === offer.timeZone) {
          known.cap = cap
          continue
        }
        const state: CapState = {
          offerId: offer.id,
          cap,
          timeZone: offer.timeZone,
          span: capPeriodAt(cap.period, offer.timeZone, now),
          stored: 0,
          own: [],
        }
        fresh.push(state)
      }
    }
    await Promise.all(fresh.map((state) => this.#refresh(state, true)))
    // Caps taken off their offer are no longer counted or read.
    for (const key of this.#states.keys()) if (!current.has(key)) this.#states.delete(key)
    for (const state of fresh) this.#states.set(keyOf(state.offerId, state.cap), state)
  }

  /**
   * True when a click of `affiliateId` on `offer` is within every click cap that applies; when
   * `count`, it is then counted against them.
   */
  take(offer: CappedOffer, affiliateId: number, now: number, count: boolean): boolean {
    const states: CapState[] = []
    for (const cap of offer.clickCaps) {
      if (cap.affiliateId !== null && cap.affiliateId !== affiliateId) continue
      const state = this.#states.get(keyOf(offer.id, cap))
      if (!state) continue
      if (now >= state.span.end || now < state.span.start) {
        // A new period: nothing of it was counted yet; other processes' clicks come with the next read.
        state.span = capPeriodAt(cap.period, state.timeZone, now)
        state.stored = 0
        state.own = []
      }
      if (state.stored + state.own.length >= cap.limit) return false
      states.push(state)
    }
    if (count) {
      const sequence = this.#sequence.added()
      for (const state of states) state.own.push(sequence)
    }
    return true
  }

  /** Reads every cap's committed count again (once a second on its own). */
  async refresh(): Promise<void> {
    try {
      for (const state of this.#states.values()) await this.#refresh(state, false)
    } catch (error) {
      this.#onError(error)
    }
  }

  // The clicks this process had committed before the read are in the read count; those after
  // are not, unless one committed while the read ran, which the second look at `settled` catches.
  async #refresh(state: CapState, first: boolean): Promise<void> {
    const span = state.span
    for (let attempt = 0; attempt < 3; attempt++) {
      const settled = this.#sequence.settled()
      const stored = await this.#committedClicks(state, span)
      if (this.#sequence.settled() !== settled && !first) continue
      if (state.span !== span) return
      state.stored = stored
      state.own = state.own.filter((sequence) => sequence >= settled)
      return
    }
  }

  // From the offer × affiliate rollups, which count clicks that went through in the same
  // transaction as the clicks; periods start on whole hours in zones with whole-hour offsets.
  async #committedClicks(state: CapState, span: PeriodSpan): Promise<number> {
    const family = familyFor(['offer_id', 'affiliate_id'])
    const from = Math.floor(span.start / HOUR_MS) * HOUR_MS
    const to = Math.min(span.end, (Math.floor(Date.now() / HOUR_MS) + 2) * HOUR_MS)
    const end = Math.ceil(to / HOUR_MS) * HOUR_MS
    let total = 0
    for (const run of coverRange(
      from,
      end,
      family.map((tier) => tier.bucketMs),
    )) {
      const tier = family.find((candidate) => candidate.bucketMs === run.bucketMs)!
      let query = this.#db
        .selectFrom(tier.table as 'rollup_lean')
        .select((eb) => eb.fn.sum<string | number | null>('clicks').as('clicks'))
        .where('offer_id', '=', state.offerId)
        .where('bucket', '>=', run.from)
        .where('bucket', '<', run.to)
      if (state.cap.affiliateId !== null) {
        query = query.where('affiliate_id', '=', state.cap.affiliateId)
      }
      const row = await query.executeTakeFirst()
      total += Number(row?.clicks ?? 0)
    }
    return total
  }
}

function keyOf(offerId: number, cap: Cap): string {
  return `${offerId}|${cap.period}|${cap.affiliateId ?? ''}`
}
