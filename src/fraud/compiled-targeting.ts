import { minuteOfDay, type Targeting } from '../catalog/offer-targeting.ts'
import type { BlockedReason } from './blocked-reason.ts'
import { osFamily } from './os-family.ts'
import { wallClock } from './wall-clock.ts'

/** What targeting looks at in a click, as the redirect worked it out. */
export interface VisitorFacts {
  country: string | null
  deviceType: string | null
  os: string | null
}

interface Lists {
  allow: ReadonlySet<string> | null
  block: ReadonlySet<string> | null
}

/** For each ISO weekday (index 1–7), the minutes of the day inside the schedule. */
type WeekMinutes = Array<Uint8Array | undefined>

/**
 * An offer's targeting compiled for the tracking link: set lookups, and the schedule's verdict
 * remembered until the next local minute, so a click asks the time zone database at most once a
 * minute per offer.
 */
export class CompiledTargeting {
  readonly #countries: Lists | null
  readonly #devices: Lists | null
  readonly #os: Lists | null
  readonly #week: WeekMinutes | null
  readonly #timeZone: string
  #verdictUntil = 0
  #inSchedule = true

  constructor(targeting: Targeting, timeZone: string) {
    this.#countries = lists(targeting.countries)
    this.#devices = lists(targeting.devices)
    this.#os = lists(targeting.os)
    this.#week = targeting.schedule ? weekOf(targeting.schedule) : null
    this.#timeZone = timeZone
  }

  check(visitor: VisitorFacts, now: number): BlockedReason | null {
    if (this.#countries && !passes(this.#countries, visitor.country)) return 'country'
    if (this.#devices && !passes(this.#devices, visitor.deviceType)) return 'device'
    if (this.#os && !passes(this.#os, osFamily(visitor.os))) return 'os'
    if (this.#week && !this.#scheduled(now)) return 'schedule'
    return null
  }

  #scheduled(now: number): boolean {
    if (now >= this.#verdictUntil || now < this.#verdictUntil - 60_000) {
      const local = wallClock(this.#timeZone, now)
      this.#inSchedule = this.#week![local.weekday]?.[local.minute] === 1
      this.#verdictUntil = Math.floor(now / 60_000) * 60_000 + 60_000
    }
    return this.#inSchedule
  }
}

function lists(sides: { allow?: string[]; block?: string[] } | undefined): Lists | null {
  if (!sides) return null
  return {
    allow: sides.allow ? new Set(sides.allow) : null,
    block: sides.block ? new Set(sides.block) : null,
  }
}

// Unknown (null) fails an allow list and passes a block list.
function passes({ allow, block }: Lists, value: string | null): boolean {
  if (allow && (value === null || !allow.has(value))) return false
  return !(block && value !== null && block.has(value))
}

/**
 * Windows whose `to` is before their `from` run past midnight: `22:00`–`02:00` on Friday is
 * Friday 22:00 to Saturday 02:00.
 */
function weekOf(schedule: NonNullable<Targeting['schedule']>): WeekMinutes {
  const week: WeekMinutes = []
  const mark = (day: number, from: number, to: number) => {
    week[day] ??= new Uint8Array(1440)
    week[day].fill(1, from, to)
  }
  for (const window of schedule) {
    const from = minuteOfDay(window.from, 'from', false)
    const to = minuteOfDay(window.to, 'to', true)
    for (const day of window.days) {
      if (from < to) mark(day, from, to)
      else {
        mark(day, from, 1440)
        mark((day % 7) + 1, 0, to)
      }
    }
  }
  return week
}
