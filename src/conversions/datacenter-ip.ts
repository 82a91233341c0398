import { readFileSync } from 'node:fs'
import ipaddr from 'ipaddr.js'

interface Ranges {
  starts: bigint[]
  ends: bigint[]
  asns: number[]
}

const RANGES_FILE = new URL('./datacenter/datacenter-ranges.csv', import.meta.url)

let loaded: { v4: Ranges; v6: Ranges } | undefined

/**
 * The hosting network (ASN) an address belongs to, or null: from src/conversions/datacenter/datacenter-ranges.csv,
 * the address ranges of the hosting networks in src/conversions/datacenter/hosting-asns.csv, read once, offline.
 */
export function datacenterAsn(ip: string): number | null {
  const address = parse(ip)
  if (!address) return null
  loaded ??= loadRanges()
  const ranges = address.kind() === 'ipv4' ? loaded.v4 : loaded.v6
  return find(ranges, toNumber(address))
}

function parse(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (!ipaddr.isValid(ip)) return undefined
  const address = ipaddr.parse(ip)
  // A v4 address seen through a dual-stack socket (::ffff:1.2.3.4) is looked up as v4.
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (address as ipaddr.IPv6).toIPv4Address()
  }
  return address
}

function toNumber(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  let value = 0n
  const bytes = address.toByteArray()
  for (const byte of bytes) value = (value << 8n) | BigInt(byte)
  return value
}

function loadRanges(): { v4: Ranges; v6: Ranges } {
  const rows: Array<{ v6: boolean; start: bigint; end: bigint; asn: number }> = []
  for (const line of readFileSync(RANGES_FILE, 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const [start, end, asn] = line.split(',')
    const from = start && parse(start)
    const to = end && parse(end)
    if (!from || !to) continue
    rows.push({
      v6: from.kind() === 'ipv6',
      start: toNumber(from),
      end: toNumber(to),
      asn: Number(asn),
    })
  }
  rows.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
  const pick = (v6: boolean): Ranges => {
    const of = rows.filter((row) => row.v6 === v6)
    return {
      starts: of.map((r) => r.start),
      ends: of.map((r) => r.end),
      asns: of.map((r) => r.asn),
    }
  }
  return { v4: pick(false), v6: pick(true) }
}

// The last range starting at or before the address, if it reaches the address.
function find(ranges: Ranges, value: bigint): number | null {
  let low = 0
  let high = ranges.starts.length - 1
  let best = -1
  while (low <= high) {
    const mid = (low + high) >> 1
    if (ranges.starts[mid]! <= value) {
      best = mid
      low = mid + 1
    } else high = mid - 1
  }
  return best >= 0 && value <= ranges.ends[best]! ? ranges.asns[best]! : null
}
