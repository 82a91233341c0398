import ipaddr from 'ipaddr.js'

// ipaddr.js classifies every range of the IANA IPv4 and IPv6 special-purpose registries (loopback,
// private, CGNAT, link-local, NAT64, 6to4, Teredo, ORCHID, documentation, benchmarking, …) and
// calls the rest `unicast`. A few ranges it does not name are added here: IPv6 outside 2000::/3 is
// either unassigned or special (IPv4-compatible `::a.b.c.d`, the 100:0:0:1::/64 dummy prefix,
// fec0::/10 site-local), and Azure's 168.63.129.16 answers metadata-like requests from a public
// address.
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3')
const EXTRA_V4: ReadonlyArray<[ipaddr.IPv4, number]> = [[ipaddr.IPv4.parse('168.63.129.16'), 32]]

/**
 * Whether `ip` (an IPv4 or IPv6 literal, brackets allowed) is anything but an ordinary globally
 * reachable unicast address. Registry ranges marked globally reachable (AS112, AMT, the NAT64 and
 * 6to4 prefixes) are refused too: they embed or relay to other addresses, and no postback receiver
 * lives there. Not an IP literal → false.
 */
export function isSpecialPurposeAddress(ip: string): boolean {
  const plain = ip.replace(/^\[|\]$/g, '')
  if (!ipaddr.isValid(plain)) return false
  const address = ipaddr.parse(plain)
  if (address.kind() === 'ipv6') {
    const v6 = address as ipaddr.IPv6
    if (v6.isIPv4MappedAddress()) return isSpecialV4(v6.toIPv4Address())
    return v6.range() !== 'unicast' || !v6.match(GLOBAL_UNICAST_V6)
  }
  return isSpecialV4(address as ipaddr.IPv4)
}

function isSpecialV4(address: ipaddr.IPv4): boolean {
  if (address.range() !== 'unicast') return true
  return EXTRA_V4.some((range) => address.match(range))
}
