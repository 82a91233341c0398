let revision = 0

/**
 * A counter bumped by every offer or affiliate write in this process, so caches of the catalog
 * (the click redirect's) see a change made through this process's API at once. Other processes
 * learn of it by polling the database.
 */
export function catalogRevision(): number {
  return revision
}

export function bumpCatalogRevision(): void {
  revision++
}
