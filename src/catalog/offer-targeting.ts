import { type TSchema, Type } from 'typebox'
import { AppError } from '../http/errors.ts'
import { COUNTRY_CODES } from './country-codes.ts'

/** Device types as the click records them (ua-parser's, with `desktop` for none). */
export const DEVICE_TYPES = [
  'desktop',
  'mobile',
  'tablet',
  'smarttv',
  'console',
  'wearable',
  'embedded',
  'xr',
] as const

/** Operating system families targeting names; see `osFamily` for how a click's OS maps. */
export const OS_FAMILIES = [
  'android',
  'ios',
  'windows',
  'macos',
  'linux',
  'chromeos',
  'other',
] as const

const MAX_LIST = 300

function allowBlock<T extends TSchema>(item: T) {
  return Type.Object({
    allow: Type.Optional(Type.Array(item, { maxItems: MAX_LIST })),
    block: Type.Optional(Type.Array(item, { maxItems: MAX_LIST })),
  })
}

const Clock = Type.String({ pattern: '^\\d{2}:\\d{2}$', description: 'HH:MM, 00:00 to 24:00' })

/** The offer's `targeting` body field, as the API takes and shows it. */
export const TargetingSchema = Type.Object(
  {
    countries: Type.Optional(
      allowBlock(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' })),
    ),
    devices: Type.Optional(allowBlock(Type.Enum(DEVICE_TYPES))),
    os: Type.Optional(allowBlock(Type.Enum(OS_FAMILIES))),
    schedule: Type.Optional(
      Type.Array(
        Type.Object({
          days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
            minItems: 1,
            maxItems: 7,
            description: 'ISO weekdays: 1 is Monday, 7 Sunday',
          }),
          from: Clock,
          to: Clock,
        }),
        { maxItems: 50 },
      ),
    ),
  },
  {
    description:
      "Who may click: countries, device types and OS families allowed or blocked, and a weekly schedule in the offer's `time_zone`. Clicks outside it go to `fallback_url`, stored with a `blocked_reason`.",
  },
)

export interface AllowBlock<T extends string = string> {
  allow?: T[]
  block?: T[]
}

export interface ScheduleWindow {
  days: number[]
  from: string
  to: string
}

export interface Targeting {
  countries?: AllowBlock
  devices?: AllowBlock<(typeof DEVICE_TYPES)[number]>
  os?: AllowBlock<(typeof OS_FAMILIES)[number]>
  schedule?: ScheduleWindow[]
}

/** Checks what the schema cannot (real country codes, real times) and drops empty parts. */
export function normalizeTargeting(targeting: Targeting | null | undefined): Targeting | null {
  if (targeting == null) return null
  const result: Targeting = {}
  if (targeting.countries) {
    for (const side of ['allow', 'block'] as const) {
      targeting.countries[side]?.forEach((code, index) => {
        if (!COUNTRY_CODES.has(code)) {
          fail(
            `targeting.countries.${side}.${index}`,
            `"${code}" is not an ISO 3166-1 country code`,
          )
        }
      })
    }
    const countries = tidy(targeting.countries)
    if (countries) result.countries = countries
  }
  const devices = targeting.devices && tidy(targeting.devices)
  if (devices) result.devices = devices
  const os = targeting.os && tidy(targeting.os)
  if (os) result.os = os
  if (targeting.schedule && targeting.schedule.length > 0) {
    result.schedule = targeting.schedule.map((window, index) => {
      const field = `targeting.schedule.${index}`
      const from = minuteOfDay(window.from, `${field}.from`, false)
      const to = minuteOfDay(window.to, `${field}.to`, true)
      if (from === to) fail(`${field}.to`, 'must differ from `from`')
      return { days: [...new Set(window.days)].sort(), from: window.from, to: window.to }
    })
  }
  return Object.keys(result).length === 0 ? null : result
}

/** Minutes since midnight of an `HH:MM` time; `24:00` only as the end of a window. */
export function minuteOfDay(text: string, field: string, end: boolean): number {
  const [hours, minutes] = text.split(':').map(Number) as [number, number]
  const valid = minutes < 60 && (hours < 24 || (end && hours === 24 && minutes === 0))
  if (!valid)
    fail(field, `"${text}" is not a time of day (HH:MM, 00:00 to ${end ? '24' : '23'}:..)`)
  return hours * 60 + minutes
}

function tidy<T extends string>(lists: AllowBlock<T>): AllowBlock<T> | undefined {
  const out: AllowBlock<T> = {}
  if (lists.allow && lists.allow.length > 0) out.allow = [...new Set(lists.allow)]
  if (lists.block && lists.block.length > 0) out.block = [...new Set(lists.block)]
  return out.allow || out.block ? out : undefined
}

function fail(field: string, message: string): never {
  throw new AppError('validation_failed', `${field} ${message}`, [{ field, message }])
}

/** Throws a 400 unless `tz` is an IANA time zone the runtime knows. */
export function checkOfferTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
  } catch {
    fail('time_zone', `"${tz}" is not an IANA time zone name`)
  }
}
