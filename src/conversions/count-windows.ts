import { localTime, zonedToUtc } from '../reports/index.ts'

export type CountPeriod = 'hour' | 'day' | 'week' | 'month' | 'total'

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

/**
 * The window a count falls in: its start (epoch ms) and when its counter row may be pruned (null
 * for `total`, which never resets). Days, weeks (from Monday) and months start at local midnight
 * in `tz`; hours are clock hours.
 */
export function countWindow(
  period: CountPeriod,
  tz: string,
  at: number,
): { start: number; expiresAt: number | null } {
  if (period === 'total') return { start: 0, expiresAt: null }
  if (period === 'hour') {
    const start = Math.floor(at / HOUR_MS) * HOUR_MS
    return { start, expiresAt: start + 2 * HOUR_MS }
  }
  const local = localTime(tz, at)
  if (period === 'day') {
    return { start: zonedToUtc(tz, local.year, local.month, local.day), expiresAt: at + 2 * DAY_MS }
  }
  if (period === 'month') {
    return { start: zonedToUtc(tz, local.year, local.month, 1), expiresAt: at + 32 * DAY_MS }
  }
  const date = new Date(Date.UTC(local.year, local.month - 1, local.day))
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7))
  const start = zonedToUtc(tz, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())
  return { start, expiresAt: at + 8 * DAY_MS }
}
