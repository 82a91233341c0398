import { isIP } from 'node:net'

/** An address as a number: IPv4 in 32 bits, IPv6 in 128 (IPv4-mapped IPv6 is read as IPv4). */
export type IpNumber = { v6: false; n: number } | { v6: true; n: bigint }

/** The numeric value of an IP address, or undefined when `text` is not one. */
export function parseIp(text: string): IpNumber | undefined {
  const v4 = parseIpv4(text)
  if (v4 !== undefined) return { v6: false, n: v4 }
  if (isIP(text) !== 6) return undefined
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text)
  if (mapped) {
    const inner = parseIpv4(mapped[1]!)
    if (inner !== undefined) return { v6: false, n: inner }
  }
  return { v6: true, n: parseIpv6(text) }
}

// By character codes: every click with an IP blocklist parses its address, and split() with a
// regular expression per part cost most of a microsecond.
function parseIpv4(text: string): number | undefined {
  let value = 0
  let byte = 0
  let digits = 0
  let dots = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 48 && code <= 57) {
      byte = byte * 10 + code - 48
      if (++digits > 3 || byte > 255) return undefined
    } else if (code === 46 && digits > 0 && dots < 3) {
      value = value * 256 + byte
      byte = 0
      digits = 0
      dots++
    } else return undefined
  }
  return dots === 3 && digits > 0 ? value * 256 + byte : undefined
}

// `text` is a valid IPv6 address (isIP said so); an embedded IPv4 tail counts as two groups.
function parseIpv6(text: string): bigint {
  let address = text.toLowerCase()
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)
  if (tail) {
    const v4 = parseIpv4(tail[1]!) ?? 0
    address = `${address.slice(0, -tail[1]!.length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`
  }
  const [head = '', rest] = address.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = rest === undefined || rest === '' ? [] : rest.split(':')
  const groups =
    rest === undefined
      ? left
      : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
  let value = 0n
  for (const group of groups) value = (value << 16n) | BigInt(Number.parseInt(group, 16))
  return value
}
