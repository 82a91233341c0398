import { type IpNumber, parseIp } from './ip-address.ts'

/**
 * CIDR ranges as sorted, merged intervals per family: a lookup is a binary search, O(log n),
 * whatever the number of ranges (node's BlockList checks its rules one by one).
 */
export class IpRanges {
  readonly #v4: Intervals<number>
  readonly #v6: Intervals<bigint>

  constructor(cidrs: Iterable<string>) {
    const v4: Array<[number, number]> = []
    const v6: Array<[bigint, bigint]> = []
    for (const cidr of cidrs) {
      const [address = '', bitsText] = cidr.split('/')
      const ip = parseIp(address)
      if (!ip) continue
      if (ip.v6) {
        const bits = BigInt(bitsText ?? 128)
        const size = 1n << (128n - bits)
        const start = (ip.n / size) * size
        v6.push([start, start + size - 1n])
      } else {
        // A mapped IPv6 range (::ffff:a.b.c.d/104) is the IPv4 range it maps.
        const raw = Number(bitsText ?? 32)
        const bits = address.includes(':') ? raw - 96 : raw
        const size = 2 ** (32 - bits)
        const start = Math.floor(ip.n / size) * size
        v4.push([start, start + size - 1])
      }
    }
    this.#v4 = merge(v4)
    this.#v6 = merge(v6)
  }

  get size(): number {
    return this.#v4.starts.length + this.#v6.starts.length
  }

  has(ip: IpNumber): boolean {
    return ip.v6 ? contains(this.#v6, ip.n) : contains(this.#v4, ip.n)
  }
}

interface Intervals<T> {
  starts: T[]
  ends: T[]
}

function merge<T extends number | bigint>(ranges: Array<[T, T]>): Intervals<T> {
  ranges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  const starts: T[] = []
  const ends: T[] = []
  for (const [start, end] of ranges) {
    const last = ends.length - 1
    if (last >= 0 && start <= ends[last]!) {
      if (end > ends[last]!) ends[last] = end
    } else {
      starts.push(start)
      ends.push(end)
    }
  }
  return { starts, ends }
}

function contains<T extends number | bigint>({ starts, ends }: Intervals<T>, value: T): boolean {
  let low = 0
  let high = starts.length - 1
  while (low <= high) {
    const middle = (low + high) >> 1
    if (starts[middle]! > value) high = middle - 1
    else if (ends[middle]! < value) low = middle + 1
    else return true
  }
  return false
}
