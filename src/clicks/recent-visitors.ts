import { randomInt } from 'node:crypto'

export const UNIQUE_WINDOW_MS = 24 * 60 * 60 * 1000

/** Visitor keys kept; ~50 bytes each. Beyond it the oldest are forgotten (the writer re-checks). */
const DEFAULT_CAPACITY = 200_000

/**
 * Remembers which visitor (offer + IP + user agent) clicked when, so the unique flag costs no
 * database read on the redirect. It is one process's memory: the click writer confirms each
 * "unique" verdict against the database before storing it, which covers restarts, forgotten
 * entries and other processes.
 *
 * Visitors are kept under a 53-bit hash of their key, computed in JavaScript with a per-process
 * seed: a SHA-1 through node:crypto cost the redirect 4–7 µs of CPU under load, for a key that
 * needs no cryptographic strength. Two visitors share a hash about once in 10^10 lookups at full
 * capacity; the only effect would be one click counted as a repeat.
 */
export class RecentVisitors {
  readonly #lastClick = new Map<number, number>()
  readonly #capacity: number
  readonly #seed = randomInt(2 ** 32)

  constructor(capacity = DEFAULT_CAPACITY) {
    this.#capacity = capacity
  }

  /** Records a click and says whether the visitor had no other click on the offer in 24 h. */
  isFirstClick(offerId: number, ip: string, userAgent: string | null, now: number): boolean {
    const key = hash53(`${offerId}\n${ip}\n${userAgent ?? ''}`, this.#seed)
    const last = this.#lastClick.get(key)
    // Delete then set moves the key to the end, so iteration order is least recently seen first.
    if (last !== undefined) this.#lastClick.delete(key)
    this.#lastClick.set(key, now)
    if (this.#lastClick.size > this.#capacity) {
      this.#lastClick.delete(this.#lastClick.keys().next().value!)
    }
    return last === undefined || now - last >= UNIQUE_WINDOW_MS
  }
}

/** cyrb53 (bryc, public domain): two 32-bit multiply-xorshift lanes folded into 53 bits. */
function hash53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed
  let h2 = 0x41c6ce57 ^ seed
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ code, 2654435761)
    h2 = Math.imul(h2 ^ code, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507)
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507)
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}
