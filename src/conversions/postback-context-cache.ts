import { catalogRevision } from '../catalog/index.ts'
import type { Db } from '../db/database.ts'
import { loadPostbackContext, type PostbackContext } from './attribution-context.ts'

/** How long another process's change to an advertiser, offer or goal may go unseen here. */
const TTL_MS = 1000

interface Entry {
  context: PostbackContext
  revision: number
  loadedAt: number
}

/** Reads what a postback needs of its offer, advertiser and goal: `loadPostbackContext`, cached. */
export type ContextLoader = (
  offerId: number,
  goalKey: string,
  now: number,
) => Promise<PostbackContext>

/**
 * The offer, advertiser and goal behind a postback, from memory: every postback needs them and
 * they change rarely, and the read cost more than the rest of the call's reads together. A
 * change made through this process's API is seen at once (the catalog revision); one made
 * through another process sharing the database within a second. Unknown offers are not kept
 * (only the genuine click id of a deleted offer gets this far: a forged one fails its MAC).
 */
export function cachedContextLoader(db: Db, maxEntries = 10_000): ContextLoader {
  const entries = new Map<string, Entry>()
  return async (offerId, goalKey, now) => {
    const key = `${offerId}\u0000${goalKey}`
    const revision = catalogRevision()
    const cached = entries.get(key)
    if (cached && cached.revision === revision && now - cached.loadedAt < TTL_MS) {
      return cached.context
    }
    const context = await loadPostbackContext(db, offerId, goalKey)
    if (entries.size >= maxEntries) entries.clear()
    entries.set(key, { context, revision, loadedAt: now })
    return context
  }
}
