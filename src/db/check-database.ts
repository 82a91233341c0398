import type { Storage } from './storage.ts'

const PROBE_KEY = 'health_probe'

/**
 * Resolves when the database answers and takes writes. A ping alone answers with the disk full
 * or the file locked, so after a write failed for want of the database, a one-row write is tried
 * too: its commit clears the failure, and so the server says healthy again once space returns,
 * even with no traffic to prove it.
 */
export async function checkDatabase(storage: Storage): Promise<void> {
  await storage.ping()
  const failure = storage.health.failure
  if (failure === undefined) return
  await storage.db
    .insertInto('settings')
    .values({ key: PROBE_KEY, value: String(Date.now()) })
    .onConflict((conflict) => conflict.column('key').doUpdateSet({ value: String(Date.now()) }))
    .execute()
  // Outside a transaction the statement commits alone, with no COMMIT seen by the driver.
  storage.health.succeeded()
}
