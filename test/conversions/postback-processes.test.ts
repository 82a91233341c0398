import { afterEach, expect, it } from 'vitest'
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { databaseEnv, type ServeProcess, serveProcess } from '../helpers/processes.ts'
import { click } from './postback-helpers.ts'

// Three `backtrack serve` processes on one database. The README promises several processes on
// PostgreSQL; on SQLite it says a second process works (one writer at a time), and one conversion
// per goal and click is a database constraint on both, so the test runs on both.
describeEachEngine('postbacks through several processes on one database', (engine) => {
  let database: TestDatabase | undefined
  const servers: ServeProcess[] = []
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.child.stop()
    await database?.drop()
  })

  it('60 identical postbacks spread over three processes make one conversion', async () => {
    database = await createTestDatabase(engine)
    const env = databaseEnv(database.config)
    for (let i = 0; i < 3; i++) servers.push(await serveProcess(env))
    const { offer, affiliate, advertiser } = await createCatalog(servers[0]!)
    const clickId = await click(servers[0]!, offer.id, affiliate.id)
    for (const txid of ['SAME', '']) {
      const query = new URLSearchParams({
        click_id: clickId,
        txid,
        token: advertiser.postback_token,
      })
      const results = await Promise.all(
        Array.from({ length: 60 }, async (_, i) => {
          const response = await fetch(`${servers[i % 3]!.url}/postback?${query}`)
          expect(response.status).toBe(200)
          return (await response.json()) as { result: string; conversion_id: string }
        }),
      )
      // The first round records the conversion; the second (no txid) finds the goal converted.
      const accepted = results.filter((res) => res.result === 'accepted')
      expect(accepted).toHaveLength(txid === 'SAME' ? 1 : 0)
      expect(results.filter((res) => res.result === 'duplicate')).toHaveLength(
        txid === 'SAME' ? 59 : 60,
      )
      expect(new Set(results.map((res) => res.conversion_id)).size).toBe(1)
    }
  }, 90_000)
})
