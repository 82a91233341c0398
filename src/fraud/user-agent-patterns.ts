// Verdicts per user agent are remembered: traffic repeats a small set of user agents, and a
// lookup by the whole string is cheaper than a walk through it. Capped like the device profiles.
const CACHE_SIZE = 5000

/**
 * Case-insensitive substring patterns, compiled once into one Aho–Corasick automaton: a user agent
 * is read once, whatever the number of patterns, and a repeated one is a map lookup.
 */
export class UserAgentPatterns {
  readonly #next: Array<Map<number, number>> = [new Map()]
  readonly #fail: number[] = [0]
  readonly #final: boolean[] = [false]
  readonly #seen = new Map<string, boolean>()

  constructor(patterns: Iterable<string>) {
    for (const pattern of patterns) this.#add(pattern.toLowerCase())
    this.#link()
  }

  matches(userAgent: string): boolean {
    const known = this.#seen.get(userAgent)
    if (known !== undefined) return known
    const found = this.#scan(userAgent.toLowerCase())
    if (this.#seen.size >= CACHE_SIZE) this.#seen.delete(this.#seen.keys().next().value!)
    this.#seen.set(userAgent, found)
    return found
  }

  #add(pattern: string): void {
    if (pattern === '') return
    let state = 0
    for (let i = 0; i < pattern.length; i++) {
      const code = pattern.charCodeAt(i)
      let target = this.#next[state]!.get(code)
      if (target === undefined) {
        target = this.#next.length
        this.#next.push(new Map())
        this.#fail.push(0)
        this.#final.push(false)
        this.#next[state]!.set(code, target)
      }
      state = target
    }
    this.#final[state] = true
  }

  // Breadth first: each state's failure link is the longest proper suffix that is also a prefix.
  #link(): void {
    const queue = [...this.#next[0]!.values()]
    for (let at = 0; at < queue.length; at++) {
      const state = queue[at]!
      for (const [code, target] of this.#next[state]!) {
        let fallback = this.#fail[state]!
        while (fallback !== 0 && !this.#next[fallback]!.has(code)) fallback = this.#fail[fallback]!
        const link = this.#next[fallback]!.get(code)
        this.#fail[target] = link !== undefined && link !== target ? link : 0
        if (this.#final[this.#fail[target]!]) this.#final[target] = true
        queue.push(target)
      }
    }
  }

  #scan(text: string): boolean {
    let state = 0
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i)
      while (state !== 0 && !this.#next[state]!.has(code)) state = this.#fail[state]!
      state = this.#next[state]!.get(code) ?? 0
      if (this.#final[state]) return true
    }
    return false
  }
}
