import type { Ddl } from '../ddl.ts'

/**
 * Indexes for the click log (`GET /api/v1/clicks`), newest first by (time, click id):
 * - the time index gains the click id, so every page, filtered or not, is read in index order
 *   instead of sorting all matching clicks (retention's deletes by age use it as before);
 * - an affiliate's log is always its own: without its index the newest page would walk every
 *   affiliate's clicks back in time until it found enough of this one's.
 */
export function clicksByAffiliateMigration(_t: Ddl): string[] {
  return [
    `create index clicks_time_id on clicks (created_at, click_id)`,
    `drop index clicks_time`,
    `create index clicks_affiliate_time on clicks (affiliate_id, created_at, click_id)`,
  ]
}
