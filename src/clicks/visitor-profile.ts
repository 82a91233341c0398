import geoip from 'geoip-country'
import { isbot } from 'isbot'
import UAParser from 'ua-parser-js'

export interface DeviceProfile {
  deviceType: string | null
  os: string | null
  browser: string | null
  isBot: boolean
}

// Parsing a user agent costs ~25 µs and traffic repeats a small set of them, so verdicts are
// remembered; the cap keeps a flood of random user agents from growing memory without bound.
const PROFILE_CACHE_SIZE = 5000
const profiles = new Map<string, DeviceProfile>()

/** ISO 3166-1 alpha-2 country of an IP from the bundled GeoLite2 data, or null (private, unknown). */
export function countryOf(ip: string): string | null {
  return geoip.lookup(ip)?.country ?? null
}

/**
 * Device type, OS, browser and bot verdict of a user agent. A request without one is counted as
 * a bot: every browser sends it, scripts often do not.
 */
export function profileOf(userAgent: string | null): DeviceProfile {
  if (userAgent === null || userAgent === '') {
    return { deviceType: null, os: null, browser: null, isBot: true }
  }
  const known = profiles.get(userAgent)
  if (known) return known
  const parsed = new UAParser(userAgent).getResult()
  const profile: DeviceProfile = {
    // ua-parser leaves the device type empty for desktops.
    deviceType: parsed.device.type ?? (parsed.os.name ? 'desktop' : null),
    os: parsed.os.name ?? null,
    browser: parsed.browser.name ?? null,
    isBot: isbot(userAgent),
  }
  if (profiles.size >= PROFILE_CACHE_SIZE) profiles.delete(profiles.keys().next().value!)
  profiles.set(userAgent, profile)
  return profile
}
