import { afterEach, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { type RunningServer, startServer } from '../../src/main.ts'
import { createTestDatabase, describePostgres, type TestDatabase } from '../helpers/engines.ts'
import { TEST_ADMIN_KEY } from '../helpers/test-server.ts'

describePostgres('postbacks through several processes on one database', () => {
  let database: TestDatabase
  const servers: RunningServer[] = []
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close()
    await database.drop()
  })

  it('60 identical postbacks spread over three processes make one conversion', async () => {
    database = await createTestDatabase('postgres')
    const config = {
      ...loadConfig({ BACKTRACK_ADMIN_KEY: TEST_ADMIN_KEY, BACKTRACK_LOG_LEVEL: 'silent' }),
      host: '127.0.0.1',
      port: 0,
      database: database.config,
    }
    for (let i = 0; i < 3; i++)
      servers.push(await startServer(config, { logger: false, print: () => {} }))
    const api = async (path: string, body: unknown) => {
      const response = await fetch(`${servers[0]!.url}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      return (await response.json()) as Record<string, string>
    }
    const advertiser = await api('/advertisers', { name: 'Acme' })
    const offer = await api('/offers', {
      advertiser_id: advertiser.id,
      name: 'Shoes',
      destination_url: 'https://shop.example/?cid={click_id}',
      revenue: 2,
      payout: 1,
    })
    const affiliate = await api('/affiliates', { name: 'Traffic' })
    const clicked = await fetch(`${servers[0]!.url}/c/${offer.id}?aff_id=${affiliate.id}`, {
      redirect: 'manual',
    })
    const clickId = new URL(clicked.headers.get('location')!).searchParams.get('cid')!
    for (const txid of ['SAME', '']) {
      const query = new URLSearchParams({
        click_id: clickId,
        txid,
        token: advertiser.postback_token!,
      })
      const results = await Promise.all(
        Array.from({ length: 60 }, async (_, i) => {
          const response = await fetch(`${servers[i % 3]!.url}/postback?${query}`)
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
  })
})
