import type { DeliveryEvent } from '../delivery/index.ts'
import { formatId } from '../shared/ids.ts'
import { currencyDigits } from '../shared/money.ts'
import type { ConversionRow } from './conversion-store.ts'
import { flagsOf } from './conversion-view.ts'
import { formatMinorUnits } from './money-text.ts'

/** The event delivery queues postbacks from, for one status change (history row) of a conversion. */
export function conversionEvent(row: ConversionRow, changeId: number, at: number): DeliveryEvent {
  const digits = currencyDigits(row.currency) ?? 2
  return {
    changeId,
    conversionId: row.id,
    affiliateId: row.affiliate_id,
    advertiserId: row.advertiser_id,
    offerId: row.offer_id,
    goal: row.goal,
    status: row.status,
    occurredAt: at,
    macros: {
      click_id: row.click_id,
      conversion_id: formatId(row.id),
      txid: row.txid ?? '',
      offer_id: formatId(row.offer_id),
      affiliate_id: formatId(row.affiliate_id),
      goal: row.goal,
      status: row.status,
      payout: formatMinorUnits(row.payout, digits),
      revenue: formatMinorUnits(row.revenue, digits),
      amount: row.amount === null ? '' : formatMinorUnits(row.amount, digits),
      currency: row.currency,
      sub1: row.sub1 ?? '',
      sub2: row.sub2 ?? '',
      sub3: row.sub3 ?? '',
      sub4: row.sub4 ?? '',
      sub5: row.sub5 ?? '',
      source: row.source ?? '',
      country: row.country ?? '',
      adv1: row.adv1 ?? '',
      adv2: row.adv2 ?? '',
      adv3: row.adv3 ?? '',
      adv4: row.adv4 ?? '',
      adv5: row.adv5 ?? '',
      flags: flagsOf(row)
        .map((flag) => flag.rule)
        .join(','),
      timestamp: String(Math.floor(at / 1000)),
    },
  }
}
