import { type LookupAddress, lookup } from 'node:dns'
import type { LookupFunction } from 'node:net'
import { isSpecialPurposeAddress } from '../shared/special-address.ts'

/**
 * Whether an address is one outbound postbacks may not reach: every special-purpose range of the
 * IANA registries (loopback, private, link-local, metadata, NAT64, 6to4, …), IPv4-mapped included.
 */
export function isForbiddenAddress(ip: string): boolean {
  return isSpecialPurposeAddress(ip)
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
