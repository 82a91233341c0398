import { formatId } from '../shared/ids.ts'
import { currencyDigits, formatDecimal } from '../shared/money.ts'
import type { ConversionStatus } from './conversion-status.ts'
import type { ConversionRow, HistoryRow } from './conversion-store.ts'
import type { ConversionFlag } from './fraud-rules.ts'

export interface StatusChangeView {
  id: string
  from: ConversionStatus | null
  to: ConversionStatus
  source: 'postback' | 'api'
  reason: string | null
  at: string
}

export interface ConversionView {
  id: string
  click_id: string
  offer_id: string
  affiliate_id?: string
  advertiser_id?: string
  goal: string
  txid: string | null
  status: ConversionStatus
  reason: string | null
  amount: number | null
  revenue?: number
  payout?: number
  reported_revenue?: number | null
  currency: string
  adv1: string | null
  adv2: string | null
  adv3: string | null
  adv4: string | null
  adv5: string | null
  sub1: string | null
  sub2: string | null
  sub3: string | null
  sub4: string | null
  sub5: string | null
  source: string | null
  country: string | null
  device: string | null
  clicked_at: string
  seconds_to_convert: number
  created_at: string
  updated_at: string
  /** The fraud rules the conversion tripped; empty when clean. */
  flags: ConversionFlag[]
  history: StatusChangeView[]
}

/**
 * Who a conversion is shown to: the network sees everything; an affiliate neither the advertiser
 * nor the revenue; an advertiser neither the affiliate nor its payout.
 */
export type ConversionAudience = 'network' | 'affiliate' | 'advertiser'

/** A conversion as the API shows it to `audience`. */
export function presentConversion(
  row: ConversionRow,
  history: HistoryRow[],
  audience: ConversionAudience,
): ConversionView {
  const revenueSide = audience !== 'affiliate'
  const payoutSide = audience !== 'advertiser'
  const digits = currencyDigits(row.currency) ?? 2
  const iso = (ms: number) => new Date(ms).toISOString()
  return {
    id: formatId(row.id),
    click_id: row.click_id,
    offer_id: formatId(row.offer_id),
    ...(payoutSide ? { affiliate_id: formatId(row.affiliate_id) } : {}),
    ...(revenueSide ? { advertiser_id: formatId(row.advertiser_id) } : {}),
    goal: row.goal,
    txid: row.txid,
    status: row.status,
    reason: row.reason,
    amount: row.amount === null ? null : formatDecimal(row.amount, digits),
    ...(revenueSide ? { revenue: formatDecimal(row.revenue, digits) } : {}),
    ...(payoutSide ? { payout: formatDecimal(row.payout, digits) } : {}),
    ...(revenueSide
      ? {
          reported_revenue:
            row.reported_revenue === null ? null : formatDecimal(row.reported_revenue, digits),
        }
      : {}),
    currency: row.currency,
    adv1: row.adv1,
    adv2: row.adv2,
    adv3: row.adv3,
    adv4: row.adv4,
    adv5: row.adv5,
    sub1: row.sub1,
    sub2: row.sub2,
    sub3: row.sub3,
    sub4: row.sub4,
    sub5: row.sub5,
    source: row.source,
    country: row.country,
    device: row.device_type,
    clicked_at: iso(row.clicked_at),
    seconds_to_convert: row.seconds_to_convert,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    flags: flagsOf(row),
    history: history.map((change) => ({
      id: formatId(change.id),
      from: change.from_status,
      to: change.to_status,
      source: change.source,
      reason: change.reason,
      at: iso(change.created_at),
    })),
  }
}

/** A conversion's flags (stored as JSON, null when clean). */
export function flagsOf(row: Pick<ConversionRow, 'flags'>): ConversionFlag[] {
  return row.flags ? (JSON.parse(row.flags) as ConversionFlag[]) : []
}
