const formatters = new Map<string, Intl.DateTimeFormat>()

export interface WallClock {
  year: number
  month: number
  day: number
  /** ISO weekday: 1 is Monday, 7 Sunday. */
  weekday: number
  /** Minutes since local midnight. */
  minute: number
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 }

/** The date, weekday and minute of the day in `tz` at an instant. */
export function wallClock(tz: string, at: number): WallClock {
  const parts: Record<string, string> = {}
  for (const part of formatterFor(tz).formatToParts(at)) parts[part.type] = part.value
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS[parts.weekday!]!,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  }
}

/** The instant a local date and time of `tz` happens (the later one when a DST gap skips it). */
export function localToUtc(tz: string, year: number, month: number, day: number, minute = 0) {
  const wall = Date.UTC(year, month - 1, day, 0, minute)
  let guess = wall - offsetMs(tz, wall)
  const corrected = wall - offsetMs(tz, guess)
  if (corrected !== guess) guess = corrected
  return guess
}

function offsetMs(tz: string, at: number): number {
  const local = wallClock(tz, at)
  const wall = Date.UTC(local.year, local.month - 1, local.day, 0, local.minute)
  return wall - Math.floor(at / 60_000) * 60_000
}

function formatterFor(tz: string): Intl.DateTimeFormat {
  let formatter = formatters.get(tz)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    })
    formatters.set(tz, formatter)
  }
  return formatter
}
