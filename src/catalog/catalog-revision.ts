let revision = 0

/**
 * A counter bumped by every advertiser, offer or affiliate write in this process, so caches of
 * the catalog (the click redirect's, the postback route's) see a change made through this
 * process's API at once. Other processes learn of it by polling the database or by expiry.
 */
export function catalogRevision(): number {
  return revision
}

export function bumpCatalogRevision(): void {
  revision++
}
