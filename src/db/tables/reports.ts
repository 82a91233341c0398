import type { Generated } from 'kysely'

/**
 * Rollups: counters per UTC hour (and per longer aligned buckets for the two narrowest widths),
 * kept at four widths so a report reads the smallest table that has its dimensions (see
 * src/reports/rollup-tiers.ts). Missing dimension values are stored as '' so they can be part of
 * the unique key on both engines.
 */
export interface RollupCounters {
  /** Start of the bucket (an hour, 4 hours, a UTC day, 4 or 16 UTC days), epoch ms. */
  bucket: number
  currency: string
  clicks: number
  unique_clicks: number
  /** Approved conversions and their money, in minor units of `currency`. */
  conversions: number
  pending_conversions: number
  rejected_conversions: number
  /** Conversions a fraud rule holds for review now (pending, reason `held`). */
  held_conversions: Generated<number>
  /** Conversions that tripped any fraud rule when they arrived. */
  flagged_conversions: Generated<number>
  revenue: number
  payout: number
  /** Clicks sent to the fallback URL by targeting, a blocklist or a cap; never in `clicks`. */
  blocked_clicks: Generated<number>
}

export interface LeanRollupTable extends RollupCounters {
  offer_id: number
  affiliate_id: number
  /** '' on rows that count clicks (a click has no goal). */
  goal: string
}

export interface GeoRollupTable extends LeanRollupTable {
  country: string
  device: string
  source: string
}

export interface FullRollupTable extends GeoRollupTable {
  sub1: string
  sub2: string
  sub3: string
  sub4: string
  sub5: string
  /** 'true' or 'false' for clicks; '' for conversions and for clicks counted before 0012. */
  is_bot: string
  /** '' for clicks that went through. */
  blocked_reason: string
}

/**
 * `clicks` is one row per affiliate per click batch, its payload an array that the feed sends as
 * one `click` event each: a row per click cost a click batch a quarter of its time. `click` rows
 * (one click each) are what was written before 2026-11-30; the feed still sends them.
 */
export type LiveEventKind = 'click' | 'clicks' | 'conversion' | 'delivery'

/** The live feed's log: its id is the SSE event id, so a client resumes by Last-Event-ID. */
export interface LiveEventsTable {
  id: Generated<number>
  kind: LiveEventKind
  affiliate_id: number
  /** JSON of what the feed shows. */
  payload: string
  created_at: number
}

export interface ReportTables {
  live_events: LiveEventsTable
  rollup_total_daily: RollupCounters
  rollup_total: RollupCounters
  rollup_lean: LeanRollupTable
  rollup_lean_4h: LeanRollupTable
  rollup_lean_daily: LeanRollupTable
  rollup_lean_4d: LeanRollupTable
  rollup_lean_16d: LeanRollupTable
  rollup_geo: GeoRollupTable
  rollup_full: FullRollupTable
}
