import { catalogRevision } from '../catalog/index.ts'
import type { Db } from '../db/database.ts'
import { loadPostbackContext, type PostbackContext } from './attribution-context.ts'
import { effectiveRules, type FraudRules } from './fraud-rules.ts'
import { readFraudDefaults } from './fraud-settings.ts'

/** How long another process's change to an advertiser, offer or goal may go unseen here. */
const TTL_MS = 1000

interface Entry<T> {
  value: T
  revision: number
  loadedAt: number
}

/** What a postback needs of its offer, advertiser and goal, with the fraud rules in force. */
export interface LoadedContext extends PostbackContext {
  /** The network's default fraud rules with the offer's overrides applied. */
  rules: FraudRules
}

/** Reads what a postback needs of its offer, advertiser and goal: `loadPostbackContext`, cached. */
export type ContextLoader = (
  offerId: number,
  goalKey: string,
  now: number,
) => Promise<LoadedContext>

/**
 * The offer, advertiser and goal behind a postback, from memory: every postback needs them and
 * they change rarely, and the read cost more than the rest of the call's reads together. A
 * change made through this process's API is seen at once (the catalog revision); one made
 * through another process sharing the database within a second. Unknown offers are not kept
 * (only the genuine click id of a deleted offer gets this far: a forged one fails its MAC).
 */
export function cachedContextLoader(db: Db, maxEntries = 10_000): ContextLoader {
  const entries = new Map<string, Entry<LoadedContext>>()
  let defaults: Entry<FraudRules> | undefined
  const fresh = (entry: Entry<unknown> | undefined, revision: number, now: number) =>
    entry !== undefined && entry.revision === revision && now - entry.loadedAt < TTL_MS
  return async (offerId, goalKey, now) => {
    const key = `${offerId}\u0000${goalKey}`
    const revision = catalogRevision()
    const cached = entries.get(key)
    if (cached && fresh(cached, revision, now)) return cached.value
    if (!fresh(defaults, revision, now)) {
      defaults = { value: await readFraudDefaults(db), revision, loadedAt: now }
    }
    const context = await loadPostbackContext(db, offerId, goalKey)
    const loaded = { ...context, rules: effectiveRules(defaults!.value, context.offer.fraud) }
    if (entries.size >= maxEntries) entries.clear()
    entries.set(key, { value: loaded, revision, loadedAt: now })
    return loaded
  }
}
