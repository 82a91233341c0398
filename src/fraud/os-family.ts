const FAMILIES: Record<string, string> = {
  android: 'android',
  ios: 'ios',
  ipados: 'ios',
  windows: 'windows',
  'mac os': 'macos',
  macos: 'macos',
  linux: 'linux',
  ubuntu: 'linux',
  debian: 'linux',
  fedora: 'linux',
  'red hat': 'linux',
  centos: 'linux',
  'linux mint': 'linux',
  arch: 'linux',
  gentoo: 'linux',
  'chromium os': 'chromeos',
  'chrome os': 'chromeos',
}

/**
 * The family targeting names for the OS a click's user agent reports (ua-parser's names: `Mac OS`
 * is `macos`, `Chromium OS` is `chromeos`, Linux distributions are `linux`); any other, or none,
 * is `other`.
 */
export function osFamily(os: string | null): string {
  if (os === null) return 'other'
  let family = known.get(os)
  if (family === undefined) {
    family = FAMILIES[os.toLowerCase()] ?? 'other'
    // ua-parser knows a few hundred OS names; the cap only guards against surprises.
    if (known.size < 1000) known.set(os, family)
  }
  return family
}

const known = new Map<string, string>()
