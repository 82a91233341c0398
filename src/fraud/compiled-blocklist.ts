import type { BlocklistType } from '../db/tables/clicks.ts'
import type { BlockedReason } from './blocked-reason.ts'
import { type IpNumber, parseIp } from './ip-address.ts'
import { IpRanges } from './ip-ranges.ts'
import { UserAgentPatterns } from './user-agent-patterns.ts'

/** What a blocklist looks at in a click. */
export interface ClickFacts {
  affiliateId: number
  ip: string
  userAgent: string | null
  sub1: string | null
  sub2: string | null
  sub3: string | null
  sub4: string | null
  sub5: string | null
  source: string | null
}

type ValueType = 'sub1' | 'sub2' | 'sub3' | 'sub4' | 'sub5' | 'source'
const VALUE_TYPES: readonly ValueType[] = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'source']

/**
 * One scope's blocklist (the network's, or an offer's) compiled for the tracking link: hash sets
 * for exact values, sorted ranges for CIDRs and one automaton for user-agent patterns, so a click
 * costs a few lookups however long the list is.
 */
export class CompiledBlocklist {
  readonly #affiliates = new Set<number>()
  readonly #ips = new Set<number | bigint>()
  readonly #ranges: IpRanges
  readonly #agents: UserAgentPatterns | null
  readonly #values = new Map<ValueType, Set<string>>()
  /** The value types that have entries, in check order, with their reasons. */
  readonly #valueLists: ReadonlyArray<readonly [ValueType, ReadonlySet<string>, BlockedReason]>

  constructor(entries: ReadonlyArray<{ type: BlocklistType; value: string }>) {
    const cidrs: string[] = []
    const agents: string[] = []
    for (const { type, value } of entries) {
      if (type === 'affiliate') this.#affiliates.add(Number(value))
      else if (type === 'ip') {
        const ip = parseIp(value)
        if (ip) this.#ips.add(ip.n)
      } else if (type === 'cidr') cidrs.push(value)
      else if (type === 'user_agent') agents.push(value)
      else {
        const set = this.#values.get(type) ?? new Set<string>()
        this.#values.set(type, set.add(value))
      }
    }
    this.#valueLists = VALUE_TYPES.flatMap((type) => {
      const values = this.#values.get(type)
      return values ? [[type, values, `blocklist_${type}` as const]] : []
    })
    this.#ranges = new IpRanges(cidrs)
    this.#agents = agents.length === 0 ? null : new UserAgentPatterns(agents)
  }

  /** The first entry type that matches the click, as its blocked reason; null when none does. */
  check(click: ClickFacts, ip: () => IpNumber | undefined): BlockedReason | null {
    if (this.#affiliates.size > 0 && this.#affiliates.has(click.affiliateId)) {
      return 'blocklist_affiliate'
    }
    if (this.#ips.size > 0 || this.#ranges.size > 0) {
      const address = ip()
      if (address !== undefined) {
        if (this.#ips.has(address.n)) return 'blocklist_ip'
        if (this.#ranges.has(address)) return 'blocklist_cidr'
      }
    }
    if (
      this.#agents !== null &&
      click.userAgent !== null &&
      this.#agents.matches(click.userAgent)
    ) {
      return 'blocklist_user_agent'
    }
    for (const [type, values, reason] of this.#valueLists) {
      const value = click[type]
      if (value !== null && values.has(value)) return reason
    }
    return null
  }
}
