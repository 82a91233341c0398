import type { BlockedReason } from './blocked-reason.ts'
import type { ClickFacts, CompiledBlocklist } from './compiled-blocklist.ts'
import type { CompiledTargeting, VisitorFacts } from './compiled-targeting.ts'
import { type IpNumber, parseIp } from './ip-address.ts'

/** The offer's own rules, compiled; null parts are not set. */
export interface OfferRules {
  blocklist: CompiledBlocklist | null
  targeting: CompiledTargeting | null
}

/**
 * Why a click may not go to the offer, or null when it may: the network's blocklist, then the
 * offer's, then its targeting. Caps come after (`ClickCaps.take`), since they count what passes.
 */
export function blockedReasonOf(
  network: CompiledBlocklist | null,
  offer: OfferRules,
  click: ClickFacts & VisitorFacts,
  now: number,
): BlockedReason | null {
  let parsed: IpNumber | undefined | null = null
  const ip = () => {
    if (parsed === null) parsed = parseIp(click.ip)
    return parsed
  }
  return (
    network?.check(click, ip) ??
    offer.blocklist?.check(click, ip) ??
    offer.targeting?.check(click, now) ??
    null
  )
}
