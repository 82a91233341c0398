import { AppError } from '../http/errors.ts'
import { localTime, zonedToUtc } from './time-zone.ts'

const HOUR_MS = 3_600_000
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/
const DEFAULT_DAYS = 7

/**
 * The report's time range as whole UTC hours [from, to). Dates are local days in `tz`, with `to`
 * inclusive; datetimes with an offset are instants, without one are local times. Rollups count
 * by the hour, so a datetime is widened to the hours it touches.
 */
export function reportRange(
  tz: string,
  fromText: string | undefined,
  toText: string | undefined,
  now = Date.now(),
): { from: number; to: number } {
  const to = toText === undefined ? now : parseBound(tz, toText, 'to')
  let from: number
  if (fromText === undefined) {
    const today = localTime(tz, now)
    from = zonedToUtc(tz, today.year, today.month, today.day - (DEFAULT_DAYS - 1))
  } else {
    from = parseBound(tz, fromText, 'from')
  }
  const range = {
    from: Math.floor(from / HOUR_MS) * HOUR_MS,
    to: Math.ceil(to / HOUR_MS) * HOUR_MS,
  }
  if (range.to <= range.from) {
    throw new AppError('validation_failed', '`to` must be after `from`', [
      { field: 'to', message: 'is not after from' },
    ])
  }
  return range
}

function parseBound(tz: string, text: string, field: 'from' | 'to'): number {
  const date = DATE.exec(text)
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])]
    checkCalendar(year, month, day, text, field)
    return zonedToUtc(tz, year, month, field === 'to' ? day + 1 : day)
  }
  const local = LOCAL_DATETIME.exec(text)
  if (local) {
    const [year, month, day] = [Number(local[1]), Number(local[2]), Number(local[3])]
    checkCalendar(year, month, day, text, field)
    return zonedToUtc(tz, year, month, day, Number(local[4]), Number(local[5]))
  }
  const instant = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN
  if (Number.isNaN(instant)) throw invalid(text, field)
  return instant
}

function checkCalendar(year: number, month: number, day: number, text: string, field: string) {
  const date = new Date(Date.UTC(year, month - 1, day))
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    throw invalid(text, field)
  }
}

function invalid(text: string, field: string): AppError {
  return new AppError('validation_failed', `${field} "${text}" is not an ISO date or datetime`, [
    { field, message: 'is not an ISO 8601 date or datetime' },
  ])
}
