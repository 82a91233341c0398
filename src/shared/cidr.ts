import { BlockList, isIP } from 'node:net'

/** Normalises an IP address or CIDR range (`203.0.113.7`, `2001:db8::/32`); undefined if invalid. */
export function normalizeCidr(text: string): string | undefined {
  const [address = '', bits, ...rest] = text.trim().split('/')
  const family = isIP(address)
  if (family === 0 || rest.length > 0) return undefined
  const max = family === 4 ? 32 : 128
  if (bits === undefined) return `${address}/${max}`
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return undefined
  return `${address}/${Number(bits)}`
}

/** A matcher for a list of normalised CIDR ranges; IPv4-mapped IPv6 sources match IPv4 ranges. */
export function cidrMatcher(cidrs: readonly string[]): (ip: string) => boolean {
  const list = new BlockList()
  for (const cidr of cidrs) {
    const [address = '', bits = ''] = cidr.split('/')
    list.addSubnet(address, Number(bits), isIP(address) === 4 ? 'ipv4' : 'ipv6')
  }
  return (ip: string) => {
    const plain = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip
    const family = isIP(plain)
    if (family === 0) return false
    return list.check(plain, family === 4 ? 'ipv4' : 'ipv6')
  }
}
