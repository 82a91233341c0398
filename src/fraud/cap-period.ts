import type { CapPeriod } from '../catalog/index.ts'
import { localToUtc, wallClock } from './wall-clock.ts'

/** A cap period as instants: [start, end). `total` is all time. */
export interface PeriodSpan {
  start: number
  end: number
}

/**
 * The day, week (Monday first), month or all time that `at` falls in, in `tz`. Local midnights,
 * so a day in New York is 24 hours long, or 23 or 25 on a DST change.
 */
export function capPeriodAt(period: CapPeriod, tz: string, at: number): PeriodSpan {
  if (period === 'total') return { start: 0, end: Number.MAX_SAFE_INTEGER }
  const local = wallClock(tz, at)
  if (period === 'day') {
    return {
      start: localToUtc(tz, local.year, local.month, local.day),
      end: localToUtc(tz, local.year, local.month, local.day + 1),
    }
  }
  if (period === 'week') {
    const monday = local.day - (local.weekday - 1)
    return {
      start: localToUtc(tz, local.year, local.month, monday),
      end: localToUtc(tz, local.year, local.month, monday + 7),
    }
  }
  return {
    start: localToUtc(tz, local.year, local.month, 1),
    end: localToUtc(tz, local.year, local.month + 1, 1),
  }
}
