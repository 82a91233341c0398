import type { Cap } from '../catalog/index.ts'
import { countryOf } from '../clicks/index.ts'
import type { Db } from '../db/database.ts'
import {
  addToCounters,
  addWithinLimit,
  type CounterSlot,
  subtractFromCounter,
  totalOf,
} from './conversion-counters.ts'
import type { ConversionStatus } from './conversion-status.ts'
import type { ConversionRow, NewConversion } from './conversion-store.ts'
import { countWindow } from './count-windows.ts'
import { datacenterAsn } from './datacenter-ip.ts'
import {
  type ConversionFlag,
  type FraudRules,
  flagSignals,
  velocityFlag,
  verdictOf,
} from './fraud-rules.ts'
import type { PostbackFacts } from './record-postback.ts'

const SEVERITY: Readonly<Record<ConversionStatus, number>> = {
  approved: 0,
  pending: 1,
  rejected: 2,
}

/** The fields screening decides: status, reason, payout and flags. */
type Screened = Pick<NewConversion, 'status' | 'reason' | 'payout' | 'flags'>

/**
 * The rules that need no counting, for a conversion about to be inserted: flags the conversion
 * and, for a hold or reject, makes its status worse (never better than the advertiser's).
 */
export function screenSignals(
  facts: PostbackFacts,
  row: Screened & { seconds_to_convert: number },
) {
  const { rules, attribution, request } = facts
  if (Object.keys(rules).length === 0) return
  const click = attribution.click
  const flags = flagSignals(rules, {
    secondsToConvert: row.seconds_to_convert,
    click: click && { isBot: click.isBot, ip: click.ip, country: click.country },
    conversionIp: request.ip === null ? null : { ip: request.ip, country: countryOf(request.ip) },
    datacenterAsn,
  })
  applyFlags(row, flags)
}

function applyFlags(row: Screened, flags: readonly ConversionFlag[]): void {
  if (flags.length === 0) return
  const existing = row.flags ? (JSON.parse(row.flags) as ConversionFlag[]) : []
  const all = [...existing, ...flags]
  row.flags = JSON.stringify(all)
  const verdict = verdictOf(all)
  if (verdict && SEVERITY[verdict.status] > SEVERITY[row.status as ConversionStatus]) {
    row.status = verdict.status
    row.reason = verdict.reason
  }
}

/**
 * The counted rules (conversions per IP, per sub1) and the offer's caps, for conversions just
 * inserted in this transaction, in batch order. Counters move in the same transaction, so the
 * counts are exact under concurrency. Returns the rows whose status, reason, payout or flags
 * changed, already updated in the database.
 */
export async function screenCounted(
  tx: Db,
  inserted: ReadonlyArray<{ row: ConversionRow; facts: PostbackFacts }>,
): Promise<ConversionRow[]> {
  const before = new Map(inserted.map(({ row }) => [row.id, fingerprint(row)]))
  await flagVelocity(tx, inserted)
  for (const { row, facts } of inserted) {
    if (facts.attribution.offer.caps.length > 0 && row.status !== 'rejected') {
      await applyCaps(tx, row, facts)
    }
  }
  const changed = inserted
    .map(({ row }) => row)
    .filter((row) => before.get(row.id) !== fingerprint(row))
  for (const row of changed) {
    await tx
      .updateTable('conversions')
      .set({ status: row.status, reason: row.reason, payout: row.payout, flags: row.flags })
      .where('id', '=', row.id)
      .execute()
  }
  return changed
}

const fingerprint = (row: ConversionRow) => `${row.status}|${row.reason}|${row.payout}|${row.flags}`

type VelocityRule = 'max_conversions_per_ip' | 'max_conversions_per_sub1'

interface VelocityCount {
  row: ConversionRow
  rule: VelocityRule
  setting: NonNullable<FraudRules[VelocityRule]>
  slot: CounterSlot
}

async function flagVelocity(
  tx: Db,
  inserted: ReadonlyArray<{ row: ConversionRow; facts: PostbackFacts }>,
): Promise<void> {
  const counts: VelocityCount[] = []
  for (const { row, facts } of inserted) {
    const { rules, attribution, request } = facts
    const offer = attribution.offer
    const ip = request.ip ?? attribution.click?.ip
    const byIp = rules.max_conversions_per_ip
    if (byIp && ip !== undefined) {
      const window = countWindow(byIp.per, offer.timeZone, row.created_at)
      const slot = {
        key: `ip:${offer.offerId}:${ip}:${byIp.per}`,
        windowStart: window.start,
        expiresAt: window.expiresAt,
      }
      counts.push({ row, rule: 'max_conversions_per_ip', setting: byIp, slot })
    }
    const bySub1 = rules.max_conversions_per_sub1
    if (bySub1 && row.sub1 !== null) {
      const window = countWindow(bySub1.per, offer.timeZone, row.created_at)
      const key = `sub1:${offer.offerId}:${row.affiliate_id}:${bySub1.per}:${row.sub1}`
      const slot = { key, windowStart: window.start, expiresAt: window.expiresAt }
      counts.push({ row, rule: 'max_conversions_per_sub1', setting: bySub1, slot })
    }
  }
  if (counts.length === 0) return
  const totals = await addToCounters(
    tx,
    counts.map((count) => ({ ...count.slot, amount: 1 })),
  )
  // The batch added n to a counter that now holds `total`: its k-th conversion (1-based) saw
  // total - n + k, as if the batch had been recorded one by one.
  const added = new Map<string, number>()
  for (const count of counts)
    added.set(slotKey(count.slot), (added.get(slotKey(count.slot)) ?? 0) + 1)
  const seen = new Map<string, number>()
  for (const count of counts) {
    const id = slotKey(count.slot)
    const k = (seen.get(id) ?? 0) + 1
    seen.set(id, k)
    const observed = totalOf(totals, count.slot) - added.get(id)! + k
    const flag = velocityFlag(count.rule, count.setting, observed)
    if (flag) applyFlags(count.row, [flag])
  }
}

const slotKey = (slot: CounterSlot) => `${slot.key}\u0000${slot.windowStart}`

async function applyCaps(tx: Db, row: ConversionRow, facts: PostbackFacts): Promise<void> {
  const offer = facts.attribution.offer
  const taken: Array<{ slot: CounterSlot; amount: number }> = []
  for (const cap of offer.caps) {
    if (cap.metric === 'clicks') continue
    if (cap.affiliateId !== null && cap.affiliateId !== row.affiliate_id) continue
    const slot = capSlot(offer.offerId, cap, offer.timeZone, row.created_at)
    const amount = cap.metric === 'payout' ? row.payout : 1
    if (await addWithinLimit(tx, slot, amount, cap.limit)) {
      taken.push({ slot, amount })
      continue
    }
    // Past one cap: the conversion takes no room under the others either.
    for (const earlier of taken) await subtractFromCounter(tx, earlier.slot, earlier.amount)
    row.status = 'rejected'
    row.reason = 'cap_reached'
    row.payout = 0
    return
  }
}

/** The counter of a cap in the window that `at` falls in (the offer's time zone). */
export function capSlot(offerId: number, cap: Cap, tz: string, at: number): CounterSlot {
  const window = countWindow(cap.period, tz, at)
  const affiliate = cap.affiliateId ?? '*'
  return {
    key: `cap:${offerId}:${affiliate}:${cap.metric}:${cap.period}`,
    windowStart: window.start,
    expiresAt: window.expiresAt,
  }
}
