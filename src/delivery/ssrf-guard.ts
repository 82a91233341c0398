import { type LookupAddress, lookup } from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'

// Loopback, private (RFC 1918, ULA), link-local, CGNAT, multicast, reserved and the cloud metadata
// addresses that sit outside those ranges. 169.254.169.254 and fd00:ec2::254 are link-local/ULA.
const FORBIDDEN_V4 = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
  ['168.63.129.16', 32],
] as const
const FORBIDDEN_V6 = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const

const forbidden = new BlockList()
for (const [address, bits] of FORBIDDEN_V4) forbidden.addSubnet(address, bits, 'ipv4')
for (const [address, bits] of FORBIDDEN_V6) forbidden.addSubnet(address, bits, 'ipv6')

/** Whether an address is one outbound postbacks may not reach (IPv4-mapped IPv6 included). */
export function isForbiddenAddress(ip: string): boolean {
  const plain = ip.replace(/^\[|\]$/g, '')
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain)
  if (mapped) return forbidden.check(mapped[1]!, 'ipv4')
  const family = isIP(plain)
  if (family === 0) return false
  return forbidden.check(plain, family === 4 ? 'ipv4' : 'ipv6')
}

/** Raised when a postback target is or resolves to a forbidden address. */
export class PrivateTargetError extends Error {
  readonly code = 'ERR_PRIVATE_TARGET'
}

/**
 * A DNS lookup for the HTTP client that refuses names resolving to forbidden addresses. It runs
 * at connect time, after resolution, so a name that changes its answer cannot slip past a check
 * made earlier (DNS rebinding).
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0)
    const bad = addresses.find((entry) => isForbiddenAddress(entry.address))
    if (bad) {
      const refusal = new PrivateTargetError(
        `${hostname} resolves to ${bad.address}, a private or reserved address`,
      )
      return callback(refusal as NodeJS.ErrnoException, '', 0)
    }
    if (options.all) return (callback as unknown as AllCallback)(null, addresses)
    const first = addresses[0]!
    callback(null, first.address, first.family)
  })
}

type AllCallback = (error: null, addresses: LookupAddress[]) => void
