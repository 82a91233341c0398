import type { Db } from '../db/database.ts'
import { powerOfTwoChunks } from '../db/insert-rows.ts'
// Not the reports index: this module runs in the click store thread, and the index would load
// the report routes and their schemas there too, 16 MB for nothing.
import { applyRollups } from '../reports/apply-rollups.ts'
import { type LiveEvent, recordLiveEvents } from '../reports/live-events.ts'
import type { RollupDelta } from '../reports/rollup-delta.ts'
import type { QueuedClick } from './click-writer.ts'
import { insertClickRows } from './insert-click-rows.ts'
import { UNIQUE_WINDOW_MS } from './recent-visitors.ts'

/**
 * Stores a batch of clicks, their report counters and their live-feed rows in one transaction.
 * A click already stored (a retried batch whose commit did succeed) is skipped and not counted.
 */
export async function storeClicks(db: Db, clicks: QueuedClick[]): Promise<void> {
  await markRepeatVisitors(db, clicks)
  await db.transaction().execute(async (tx) => {
    const inserted = new Set<string>()
    for (const chunk of powerOfTwoChunks(clicks)) {
      for (const id of await insertClickRows(tx, chunk)) inserted.add(id)
    }
    const stored = clicks.filter((click) => inserted.has(click.clickId))
    await applyRollups(tx, stored.map(rollupDelta))
    // The feed shows clicks that went to the offer; blocked ones are in the reports.
    await recordLiveEvents(tx, liveEventsOf(stored.filter((click) => click.blockedReason === null)))
  })
}

function rollupDelta(click: QueuedClick): RollupDelta {
  return {
    at: click.clickedAt,
    offerId: click.offerId,
    affiliateId: click.affiliateId,
    currency: click.currency,
    values: {
      country: click.country,
      device: click.deviceType,
      source: click.source,
      sub1: click.sub1,
      sub2: click.sub2,
      sub3: click.sub3,
      sub4: click.sub4,
      sub5: click.sub5,
      is_bot: click.isBot ? 'true' : 'false',
      blocked_reason: click.blockedReason,
    },
    counts:
      click.blockedReason === null
        ? { clicks: 1, unique_clicks: click.isUnique ? 1 : 0 }
        : { blocked_clicks: 1 },
  }
}

/** One live-feed row per affiliate for the batch; the feed sends one `click` event per click. */
function liveEventsOf(clicks: readonly QueuedClick[]): LiveEvent[] {
  const byAffiliate = new Map<number, QueuedClick[]>()
  for (const click of clicks) {
    const own = byAffiliate.get(click.affiliateId)
    if (own) own.push(click)
    else byAffiliate.set(click.affiliateId, [click])
  }
  return [...byAffiliate].map(([affiliateId, own]) => ({
    kind: 'clicks',
    affiliateId,
    // Retention keeps the row while its newest click is in the feed's window.
    at: own.reduce((latest, click) => Math.max(latest, click.clickedAt), 0),
    data: own.map(clickEvent),
  }))
}

function clickEvent(click: QueuedClick) {
  return {
    click_id: click.clickId,
    offer_id: String(click.offerId),
    affiliate_id: String(click.affiliateId),
    sub1: click.sub1,
    source: click.source,
    country: click.country,
    device: click.deviceType,
    is_unique: click.isUnique,
    is_bot: click.isBot,
    created_at: new Date(click.clickedAt).toISOString(),
  }
}

/**
 * Clears the unique flag of clicks whose visitor (offer + IP + user agent) has a stored click in
 * the 24 h before the batch. The redirect judged them unique from this process's memory, which
 * does not know about other processes or the time before a restart.
 */
async function markRepeatVisitors(db: Db, clicks: QueuedClick[]): Promise<void> {
  const candidates = clicks.filter((click) => click.isUnique)
  if (candidates.length === 0) return
  const since = Math.min(...candidates.map((click) => click.clickedAt))
  const pairs = new Map<string, [number, string]>()
  for (const click of candidates)
    pairs.set(`${click.offerId} ${click.ip}`, [click.offerId, click.ip])
  const seen = new Set<string>()
  for (const chunk of powerOfTwoChunks([...pairs.values()])) {
    const rows = await db
      .selectFrom('clicks')
      .select(['offer_id', 'ip', 'user_agent'])
      .distinct()
      .where((eb) =>
        eb(
          eb.refTuple('offer_id', 'ip'),
          'in',
          chunk.map(([offerId, ip]) => eb.tuple(offerId, ip)),
        ),
      )
      .where('created_at', '>=', since - UNIQUE_WINDOW_MS)
      .where('created_at', '<', since)
      .where('blocked_reason', 'is', null)
      .execute()
    for (const row of rows) seen.add(visitorKey(row.offer_id, row.ip, row.user_agent))
  }
  for (const click of candidates) {
    if (seen.has(visitorKey(click.offerId, click.ip, click.userAgent))) click.isUnique = false
  }
}

function visitorKey(offerId: number, ip: string, userAgent: string | null): string {
  return `${offerId}\n${ip}\n${userAgent ?? ''}`
}
