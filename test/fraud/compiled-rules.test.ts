import { describe, expect, it } from 'vitest'
import type { ClickFacts } from '../../src/fraud/compiled-blocklist.ts'
import { CompiledBlocklist, CompiledTargeting } from '../../src/fraud/index.ts'
import { parseIp } from '../../src/fraud/ip-address.ts'

const visitor = { country: 'JP', deviceType: 'mobile', os: 'iOS' }

describe('compiled targeting', () => {
  it('runs a schedule window past midnight in the offer time zone', () => {
    // Fridays 22:00 to Saturday 02:00 in Tokyo (UTC+9).
    const targeting = new CompiledTargeting(
      { schedule: [{ days: [5], from: '22:00', to: '02:00' }] },
      'Asia/Tokyo',
    )
    const at = (iso: string) => targeting.check(visitor, Date.parse(iso))
    expect(at('2026-12-04T12:59:00Z')).toBe('schedule') // Fri 21:59
    expect(at('2026-12-04T13:00:00Z')).toBe(null) // Fri 22:00
    expect(at('2026-12-04T16:30:00Z')).toBe(null) // Sat 01:30
    expect(at('2026-12-04T17:00:00Z')).toBe('schedule') // Sat 02:00
    expect(at('2026-12-05T13:30:00Z')).toBe('schedule') // Sat 22:30
  })

  it('judges unknown values: they fail an allow list and pass a block list', () => {
    const allow = new CompiledTargeting({ countries: { allow: ['US'] } }, 'UTC')
    const block = new CompiledTargeting({ countries: { block: ['US'] } }, 'UTC')
    const unknown = { ...visitor, country: null }
    expect(allow.check(unknown, 0)).toBe('country')
    expect(block.check(unknown, 0)).toBe(null)
    const os = new CompiledTargeting({ os: { allow: ['macos'] } }, 'UTC')
    expect(os.check({ ...visitor, os: 'Mac OS' }, 0)).toBe(null)
    expect(os.check({ ...visitor, os: null }, 0)).toBe('os')
  })
})

describe('compiled blocklist', () => {
  const facts: ClickFacts = {
    affiliateId: 1,
    ip: '198.51.100.7',
    userAgent: 'Mozilla/5.0 (compatible; SomeBot/2.1)',
    sub1: null,
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    source: null,
  }
  const check = (list: CompiledBlocklist, changes: Partial<ClickFacts>) => {
    const click = { ...facts, ...changes }
    return list.check(click, () => parseIp(click.ip))
  }

  it('matches 10,000 CIDR ranges, IPv4 and IPv6, by binary search', () => {
    const entries = []
    for (let i = 0; i < 5000; i++) {
      entries.push({ type: 'cidr' as const, value: `10.${i >> 8}.${i & 255}.0/25` })
      entries.push({ type: 'cidr' as const, value: `2001:db8:${i.toString(16)}::/48` })
    }
    const list = new CompiledBlocklist(entries)
    expect(check(list, { ip: '10.19.135.127' })).toBe('blocklist_cidr')
    expect(check(list, { ip: '10.19.135.128' })).toBe(null)
    expect(check(list, { ip: '::ffff:10.0.0.1' })).toBe('blocklist_cidr')
    expect(check(list, { ip: '2001:db8:1387:ffff::1' })).toBe('blocklist_cidr')
    expect(check(list, { ip: '2001:db8:1388::1' })).toBe(null)
    expect(check(list, { ip: 'not an ip' })).toBe(null)
  })

  it('matches user-agent patterns as case-insensitive substrings, many at once', () => {
    const patterns = Array.from({ length: 10_000 }, (_, i) => ({
      type: 'user_agent' as const,
      value: `crawler-${i}x`,
    }))
    patterns.push({ type: 'user_agent', value: 'somebot' }, { type: 'user_agent', value: 'abcab' })
    const list = new CompiledBlocklist(patterns)
    expect(check(list, {})).toBe('blocklist_user_agent')
    expect(check(list, { userAgent: 'xx CRAWLER-9999X yy' })).toBe('blocklist_user_agent')
    expect(check(list, { userAgent: 'crawler-9999' })).toBe(null)
    // A match that starts inside a failed partial match (Aho–Corasick failure links).
    expect(check(list, { userAgent: 'abcabcab' })).toBe('blocklist_user_agent')
    expect(check(list, { userAgent: 'abcaXbcab' })).toBe(null)
  })

  it('checks exact values and affiliates, and names the first type that matched', () => {
    const list = new CompiledBlocklist([
      { type: 'affiliate', value: '2' },
      { type: 'ip', value: '198.51.100.7' },
      { type: 'sub3', value: 'x' },
      { type: 'source', value: 'spam' },
    ])
    expect(check(list, { affiliateId: 2 })).toBe('blocklist_affiliate')
    expect(check(list, {})).toBe('blocklist_ip')
    expect(check(list, { ip: '198.51.100.8', sub3: 'x' })).toBe('blocklist_sub3')
    expect(check(list, { ip: '198.51.100.8', sub2: 'x', source: 'spam' })).toBe('blocklist_source')
    expect(check(list, { ip: '198.51.100.8' })).toBe(null)
  })
})
