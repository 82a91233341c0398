import type { Db } from '../db/database.ts'

const RECENT_MS = 30 * 86_400_000

/**
 * The newest click of an advertiser's offers in the last 30 days, for its "send a test"
 * postback: a real click id it may report, as its own landing page would have received it.
 */
export async function latestClickOf(
  db: Db,
  advertiserId: number,
  now = Date.now(),
): Promise<{ click_id: string; offer_id: number; created_at: number } | undefined> {
  return db
    .selectFrom('clicks')
    .innerJoin('offers', 'offers.id', 'clicks.offer_id')
    .select(['clicks.click_id', 'clicks.offer_id', 'clicks.created_at'])
    .where('offers.advertiser_id', '=', advertiserId)
    .where('clicks.created_at', '>', now - RECENT_MS)
    .orderBy('clicks.created_at', 'desc')
    .limit(1)
    .executeTakeFirst()
}
