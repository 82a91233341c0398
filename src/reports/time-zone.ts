import { AppError } from '../http/errors.ts'

const formatters = new Map<string, Intl.DateTimeFormat>()

/** Throws a 400 unless `tz` is an IANA time zone name the runtime knows. */
export function checkTimeZone(tz: string): void {
  try {
    formatterFor(tz)
  } catch {
    throw new AppError('validation_failed', `tz "${tz}" is not an IANA time zone name`, [
      { field: 'tz', message: 'is not an IANA time zone name' },
    ])
  }
}

export interface LocalTime {
  year: number
  month: number
  day: number
  hour: number
  /** Local time minus UTC, in minutes. */
  offsetMinutes: number
}

/** The wall-clock time in `tz` at an instant. */
export function localTime(tz: string, at: number): LocalTime {
  const parts: Record<string, number> = {}
  for (const part of formatterFor(tz).formatToParts(at)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  const wall = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  )
  const offsetMinutes = Math.round((wall - Math.floor(at / 1000) * 1000) / 60_000)
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    offsetMinutes,
  }
}

/** The instant a wall-clock time in `tz` happens (the later reading when a DST gap skips it). */
export function zonedToUtc(
  tz: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute)
  let guess = wall - localTime(tz, wall).offsetMinutes * 60_000
  const corrected = wall - localTime(tz, guess).offsetMinutes * 60_000
  if (corrected !== guess) guess = corrected
  return guess
}

function formatterFor(tz: string): Intl.DateTimeFormat {
  let formatter = formatters.get(tz)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(tz, formatter)
  }
  return formatter
}
