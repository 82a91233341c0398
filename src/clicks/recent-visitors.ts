import { hash } from 'node:crypto'

export const UNIQUE_WINDOW_MS = 24 * 60 * 60 * 1000

/** Visitor keys kept; ~100 bytes each. Beyond it the oldest are forgotten (the writer re-checks). */
const DEFAULT_CAPACITY = 200_000

/**
 * Remembers which visitor (offer + IP + user agent) clicked when, so the unique flag costs no
 * database read on the redirect. It is one process's memory: the click writer confirms each
 * "unique" verdict against the database before storing it, which covers restarts, forgotten
 * entries and other processes.
 */
export class RecentVisitors {
  readonly #lastClick = new Map<string, number>()
  readonly #capacity: number

  constructor(capacity = DEFAULT_CAPACITY) {
    this.#capacity = capacity
  }

  /** Records a click and says whether the visitor had no other click on the offer in 24 h. */
  isFirstClick(offerId: number, ip: string, userAgent: string | null, now: number): boolean {
    const key = hash('sha1', `${offerId}\n${ip}\n${userAgent ?? ''}`, 'base64')
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
