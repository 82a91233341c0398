import type { FastifyRequest } from 'fastify'

/** Refusals per source address per minute whose log lines are all kept. */
export const KEEP_PER_ADDRESS = 100
/** Refusals per minute, all addresses together, whose log lines are all kept. */
export const KEEP_IN_TOTAL = 1000
/** Past those, one refusal in this many is logged. */
export const SAMPLE_ONE_IN = 100

const MINUTE_MS = 60_000

/**
 * Decides which refused calls get log lines, so a flood of refusals cannot fill the disk: every
 * one up to a rate per address and in total per minute, then one in a hundred. Counted in memory
 * per process — it bounds what this process writes, which is what the disk sees.
 */
export class RefusalSampler {
  readonly #perAddress = new Map<string, number>()
  #total = 0
  #minute = 0

  keep(ip: string, now: number): boolean {
    const minute = Math.floor(now / MINUTE_MS)
    if (minute !== this.#minute) {
      this.#minute = minute
      this.#perAddress.clear()
      this.#total = 0
    }
    const count = (this.#perAddress.get(ip) ?? 0) + 1
    this.#perAddress.set(ip, count)
    this.#total++
    // Many addresses at once: the total decides; one loud address: its own count does.
    if (this.#total > KEEP_IN_TOTAL) return this.#total % SAMPLE_ONE_IN === 0
    return count <= KEEP_PER_ADDRESS || count % SAMPLE_ONE_IN === 0
  }
}

const unlogged = new WeakSet<FastifyRequest>()

/** Marks a request whose request log line is sampled out, like its stored log line. */
export function skipRequestLog(request: FastifyRequest): void {
  unlogged.add(request)
}

export function isRequestLogSkipped(request: FastifyRequest): boolean {
  return unlogged.has(request)
}
