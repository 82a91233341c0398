import type { Storage } from './storage.ts'

const PROBE_KEY = 'health_probe'
// How long a failed write keeps the server unhealthy before a success may say otherwise.
const UNHEALTHY_FOR_MS = 5000

/**
 * Resolves when the database answers and takes writes; rejects with the reason otherwise. A
 * ping alone answers with the disk full or the file locked, so after a write failed for want of
 * the database the server is unhealthy for a few seconds, whatever else succeeded meanwhile (a
 * nearly full disk fails some writes and takes others), and then until a write succeeds. Without
 * traffic to prove it, a one-row write is tried, so the server says healthy again once space
 * returns.
 */
export async function checkDatabase(storage: Storage, now = Date.now()): Promise<void> {
  await storage.ping()
  const health = storage.health
  const failure = health.lastFailure
  if (failure === undefined) return
  if (now - health.failedAt < UNHEALTHY_FOR_MS) throw failure
  if (health.recovered) return
  const value = String(now)
  await storage.db
    .insertInto('settings')
    .values({ key: PROBE_KEY, value })
    .onConflict((conflict) => conflict.column('key').doUpdateSet({ value }))
    .execute()
  // Outside a transaction the statement commits alone, with no COMMIT seen by the driver.
  health.succeeded()
}
