import { afterEach, expect, it } from 'vitest'
import { createTestDatabase, describePostgres, type TestDatabase } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { databaseEnv, type ServeProcess, serveProcess } from '../helpers/processes.ts'
import { click } from './postback-helpers.ts'

// Three `backtrack serve` processes, each with its own group commit, on one PostgreSQL database:
// the cap's counter row is the only thing they share.
describePostgres('conversion caps across processes', () => {
  let database: TestDatabase | undefined
  const servers: ServeProcess[] = []
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.child.stop()
    await database?.drop()
  })

  it('50 different clicks converting at once through three processes against a cap of 10 approve exactly 10', async () => {
    database = await createTestDatabase('postgres')
    const env = databaseEnv(database.config)
    for (let i = 0; i < 3; i++) servers.push(await serveProcess(env))
    const { offer, affiliate, advertiser } = await createCatalog(servers[0]!, {
      time_zone: 'Europe/Berlin',
      caps: [{ metric: 'conversions', period: 'day', limit: 10 }],
    })
    const clickIds = await Promise.all(
      Array.from({ length: 50 }, () => click(servers[0]!, offer.id, affiliate.id)),
    )
    const results = await Promise.all(
      clickIds.map(async (clickId, i) => {
        const query = new URLSearchParams({ click_id: clickId, token: advertiser.postback_token })
        const response = await fetch(`${servers[i % 3]!.url}/postback?${query}`)
        expect(response.status).toBe(200)
        return (await response.json()) as { result: string; status: string; reason?: string }
      }),
    )
    expect(results.filter((r) => r.result === 'accepted' && r.status === 'approved')).toHaveLength(
      10,
    )
    expect(results.filter((r) => r.reason === 'cap_reached')).toHaveLength(40)
    const usage = await servers[1]!.request('GET', `/api/v1/offers/${offer.id}/caps`)
    expect(usage.body).toMatchObject({
      time_zone: 'Europe/Berlin',
      caps: [{ metric: 'conversions', period: 'day', limit: 10, affiliate_id: null, used: 10 }],
    })
  }, 120_000)
})
