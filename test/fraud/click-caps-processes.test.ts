import { afterEach, beforeEach, expect, it } from 'vitest'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { createTestDatabase, describePostgres, type TestDatabase } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { databaseEnv, type ServeProcess, serveProcess } from '../helpers/processes.ts'
import { waitFor } from '../helpers/wait-for.ts'

const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'

// Two `backtrack serve` processes on one PostgreSQL database share a click cap.
describePostgres('click caps on several server processes', () => {
  let database: TestDatabase
  let db: Database
  let first: ServeProcess
  let second: ServeProcess
  beforeEach(async () => {
    database = await createTestDatabase('postgres')
    const env = databaseEnv(database.config)
    first = await serveProcess(env)
    second = await serveProcess(env)
    db = openDatabase(database.config)
  }, 60_000)
  afterEach(async () => {
    await first?.child.stop()
    await second?.child.stop()
    await db?.close()
    await database.drop()
  })

  /** Where a click (or a HEAD probe, which records nothing) is sent: the offer or the fallback. */
  const where = async (base: string, path: string, method = 'GET') => {
    const res = await fetch(base + path, {
      method,
      redirect: 'manual',
      headers: { 'user-agent': UA },
    })
    if (res.status !== 302) return res.status
    return res.headers.get('location')!.startsWith('https://fallback.example/')
      ? 'fallback'
      : 'offer'
  }

  it("counts the other process's clicks once they are committed", async () => {
    const { offer, affiliate } = await createCatalog(first, {
      fallback_url: 'https://fallback.example/',
      time_zone: 'America/New_York',
      caps: [{ metric: 'clicks', period: 'day', limit: 5 }],
    })
    const path = `/c/${offer.id}?aff_id=${affiliate.id}`
    await waitFor(async () => (await where(second.url, path, 'HEAD')) === 'offer', {
      message: 'the second process to know the offer',
    })
    for (let n = 0; n < 5; n++) expect(await where(first.url, path)).toBe('offer')
    expect(await where(first.url, path)).toBe('fallback')
    // Within about a second the second process has read the first one's committed clicks.
    await waitFor(async () => (await where(second.url, path, 'HEAD')) === 'fallback', {
      timeoutMs: 5000,
      message: "the second process to count the first one's clicks",
    })
    expect(await where(second.url, path)).toBe('fallback')
    const counts = await waitFor(async () => {
      const rows = await db.db
        .selectFrom('clicks')
        .select(['blocked_reason'])
        .where('offer_id', '=', Number(offer.id))
        .execute()
      return rows.length === 7 && rows
    })
    expect(counts.filter((row) => row.blocked_reason === null)).toHaveLength(5)
    expect(counts.filter((row) => row.blocked_reason === 'cap_reached')).toHaveLength(2)
  }, 90_000)
})
