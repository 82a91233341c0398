import { afterEach, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/database.ts'
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/engines.ts'
import { databaseEnv, runBacktrack } from '../helpers/processes.ts'

const KEY = 'shutdown-admin-key-Hn5tW2qJ8cX6'

async function admin(url: string, path: string, body: unknown): Promise<{ id: string }> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: string }
}

describeEachEngine('clicks across a shutdown', (engine) => {
  let database: TestDatabase | undefined
  afterEach(async () => {
    await database?.drop()
  })

  it('a SIGTERM during a burst of clicks loses none of the clicks it redirected', async () => {
    database = await createTestDatabase(engine)
    const server = runBacktrack(['serve'], {
      PORT: '0',
      HOST: '127.0.0.1',
      BACKTRACK_ADMIN_KEY: KEY,
      BACKTRACK_LOG_LEVEL: 'warn',
      ...databaseEnv(database.config),
    })
    const [, url] = (await server.waitFor(/listening on (http:\/\/\S+)/)) as [string, string]
    const exited = server.exited
    const advertiser = await admin(url, '/api/v1/advertisers', { name: 'Acme' })
    const offer = await admin(url, '/api/v1/offers', {
      advertiser_id: advertiser.id,
      name: 'Shoes',
      destination_url: 'https://shop.example/?cid={click_id}',
      revenue: 1,
      payout: 1,
    })
    const affiliate = await admin(url, '/api/v1/affiliates', { name: 'Traffic' })

    const redirected: string[] = []
    let refused = 0
    let signalled = false
    const worker = async (n: number) => {
      for (let i = 0; ; i++) {
        try {
          const res = await fetch(`${url}/c/${offer.id}?aff_id=${affiliate.id}&sub1=${n}-${i}`, {
            redirect: 'manual',
          })
          await res.arrayBuffer()
          if (res.status !== 302) {
            refused++
            return
          }
          redirected.push(new URL(res.headers.get('location')!).searchParams.get('cid')!)
          if (redirected.length >= 300 && !signalled) {
            signalled = true
            server.process.kill('SIGTERM')
          }
        } catch {
          refused++
          return
        }
      }
    }
    await Promise.all(Array.from({ length: 30 }, (_, n) => worker(n)))
    expect(await exited).toBe(0)
    expect(signalled).toBe(true)
    expect(refused).toBeGreaterThan(0)

    const { db, close } = openDatabase(database.config)
    try {
      const stored = new Set<string>()
      for (let i = 0; i < redirected.length; i += 500) {
        const rows = await db
          .selectFrom('clicks')
          .select('click_id')
          .where('click_id', 'in', redirected.slice(i, i + 500))
          .execute()
        for (const row of rows) stored.add(row.click_id)
      }
      expect(redirected.length).toBeGreaterThanOrEqual(300)
      expect(redirected.filter((id) => !stored.has(id))).toEqual([])
    } finally {
      await close()
    }
  })
})
