import { afterEach, expect, it } from 'vitest'
import { type Database, openDatabase } from '../../src/db/database.ts'
import { type Receiver, startReceiver } from '../delivery/receiver.ts'
import {
  createTestDatabase,
  describePostgres,
  TEST_PG_URL,
  type TestDatabase,
} from '../helpers/engines.ts'
import { type Child, databaseEnv, runBacktrack } from '../helpers/processes.ts'
import { startTcpProxy, type TcpProxy, throughProxy } from '../helpers/tcp-proxy.ts'
import { TEST_ADMIN_KEY } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'

const LOOPS = 16

interface PostbackAnswer {
  result?: string
  conversion_id: string
  error?: { code: string }
}

describePostgres('a PostgreSQL outage under load', () => {
  let database: TestDatabase | undefined
  let proxy: TcpProxy | undefined
  let receiver: Receiver | undefined
  let db: Database | undefined
  const children: Child[] = []
  afterEach(async () => {
    for (const child of children.splice(0)) await child.stop('SIGKILL')
    await db?.close()
    await receiver?.close()
    await proxy?.close()
    await database?.drop()
  })

  it('keeps serve and worker up, redirects throughout, answers 503, and loses or doubles nothing', async () => {
    database = await createTestDatabase('postgres')
    proxy = await startTcpProxy(Number(new URL(TEST_PG_URL).port || 5432))
    const cut = proxy
    receiver = await startReceiver()
    const env = {
      ...databaseEnv(throughProxy(database.config, proxy)),
      PORT: '0',
      HOST: '127.0.0.1',
      BACKTRACK_ADMIN_KEY: TEST_ADMIN_KEY,
      BACKTRACK_LOG_LEVEL: 'warn',
      BACKTRACK_ALLOW_PRIVATE_TARGETS: '1',
      BACKTRACK_RETRY_SCHEDULE: '200ms,500ms,1s',
      BACKTRACK_DB_CONNECT_TIMEOUT: '1s',
    }
    const server = runBacktrack(['serve'], env)
    children.push(server)
    const url = (await server.waitFor(/listening on (http:\/\/\S+)/))[1]!
    const worker = runBacktrack(['worker'], env)
    children.push(worker)
    await worker.waitFor(/delivery worker \S+ started/)

    const api = async (path: string, body?: unknown) => {
      const response = await fetch(`${url}/api/v1${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return { status: response.status, body: (await response.json()) as Record<string, string> }
    }
    const advertiser = (await api('/advertisers', { name: 'Acme' })).body
    const offer = (
      await api('/offers', {
        advertiser_id: advertiser.id,
        name: 'Shoes',
        destination_url: 'https://shop.example/?cid={click_id}',
        revenue: 2,
        payout: 1,
      })
    ).body
    const affiliate = (await api('/affiliates', { name: 'Traffic' })).body
    await api('/postbacks', {
      affiliate_id: affiliate.id,
      url: `${receiver.url}/pb?conversion={conversion_id}`,
    })

    let phase: 'before' | 'cut' | 'after' = 'before'
    const redirected: string[] = []
    const redirectedWhileCut: string[] = []
    const acknowledged = new Map<string, string>() // txid → conversion id
    const acknowledgedAfter = new Set<string>()
    const unavailable = new Map<string, string>() // txid → postback query, to send again
    const unexpected: string[] = []
    let stopping = false

    const postback = async (query: string) => {
      const response = await fetch(`${url}/postback?${query}`)
      const body = (await response.json()) as PostbackAnswer
      return { status: response.status, body }
    }
    const loop = async (n: number) => {
      for (let i = 0; !stopping; i++) {
        const clicked = await fetch(`${url}/c/${offer.id}?aff_id=${affiliate.id}&sub1=${n}-${i}`, {
          redirect: 'manual',
        })
        await clicked.arrayBuffer()
        if (clicked.status !== 302) {
          unexpected.push(`click ${clicked.status} while ${phase}`)
          continue
        }
        const clickId = new URL(clicked.headers.get('location')!).searchParams.get('cid')!
        redirected.push(clickId)
        if (phase === 'cut') redirectedWhileCut.push(clickId)
        // One postback for every other click, so clicks outnumber conversions as they do.
        if (i % 2 === 1) continue
        const txid = `t${n}-${i}`
        const query = new URLSearchParams({
          click_id: clickId,
          txid,
          token: advertiser.postback_token!,
        })
        const at = phase
        const answer = await postback(query.toString())
        if (answer.status === 200) {
          acknowledged.set(txid, answer.body.conversion_id)
          if (at === 'after') acknowledgedAfter.add(txid)
        } else if (answer.status === 503 && answer.body.error?.code === 'unavailable') {
          unavailable.set(txid, query.toString())
        } else {
          unexpected.push(`postback ${answer.status} ${JSON.stringify(answer.body)} while ${at}`)
        }
      }
    }
    const load = Promise.all(Array.from({ length: LOOPS }, (_, n) => loop(n)))

    await waitFor(() => acknowledged.size >= 200, {
      timeoutMs: 30_000,
      message: '200 conversions before the cut',
    })
    const before = { redirected: redirected.length, acknowledged: acknowledged.size }
    cut.cut()
    phase = 'cut'
    const health = await waitFor(
      async () => {
        const response = await fetch(`${url}/healthz`)
        await response.arrayBuffer()
        return response.status === 503
      },
      { timeoutMs: 10_000, message: '/healthz to answer 503' },
    )
    expect(health).toBe(true)
    const adminCall = await api('/offers')
    expect(adminCall.status).toBe(503)
    expect(adminCall.body.error).toMatchObject({ code: 'unavailable' })
    await waitFor(() => redirectedWhileCut.length >= 500 && unavailable.size >= 50, {
      timeoutMs: 30_000,
      message: 'redirects and refused postbacks while the database is away',
    })
    const whileCut = { redirected: redirectedWhileCut.length, unavailable: unavailable.size }
    cut.restore()
    phase = 'after'
    await waitFor(() => acknowledgedAfter.size >= 200, {
      timeoutMs: 30_000,
      message: '200 conversions after',
    })
    stopping = true
    await load

    // The advertiser sends what was refused again: a 503 says "not taken, try later".
    for (const [txid, query] of unavailable) {
      const answer = await postback(query)
      expect(answer.status).toBe(200)
      expect(['accepted', 'duplicate']).toContain(answer.body.result)
      acknowledged.set(txid, answer.body.conversion_id)
    }
    expect(unexpected).toEqual([])
    expect(server.process.exitCode).toBeNull()
    expect(worker.process.exitCode).toBeNull()
    // A failed write keeps /healthz at 503 for 5 s (decisions.md), which may not have passed yet.
    await waitFor(async () => (await fetch(`${url}/healthz`)).status === 200, {
      timeoutMs: 15_000,
      message: '/healthz to answer 200 again',
    })

    db = openDatabase(database.config)
    const handle = db.db
    const storedClicks = async () => {
      const stored = new Set<string>()
      for (let i = 0; i < redirected.length; i += 1000) {
        const rows = await handle
          .selectFrom('clicks')
          .select('click_id')
          .where('click_id', 'in', redirected.slice(i, i + 1000))
          .execute()
        for (const row of rows) stored.add(row.click_id)
      }
      return stored
    }
    await waitFor(async () => (await storedClicks()).size === redirected.length, {
      timeoutMs: 30_000,
      message: 'every redirected click to be stored',
    })
    const clickRows = await handle
      .selectFrom('clicks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(clickRows.n)).toBe(redirected.length)

    const conversions = await handle.selectFrom('conversions').select(['id', 'txid']).execute()
    const acknowledgedIds = new Set(acknowledged.values())
    expect(conversions).toHaveLength(acknowledged.size)
    expect(new Set(conversions.map((row) => String(row.id)))).toEqual(acknowledgedIds)

    const delivered = () => {
      const byConversion = new Map<string, number>()
      for (const request of receiver!.received) {
        const id = new URL(request.url, 'http://x').searchParams.get('conversion')!
        byConversion.set(id, (byConversion.get(id) ?? 0) + 1)
      }
      return byConversion
    }
    await waitFor(() => [...acknowledgedIds].every((id) => delivered().has(id)), {
      timeoutMs: 60_000,
      message: 'every conversion to be delivered',
    })
    await waitFor(
      async () => {
        const rows = await handle
          .selectFrom('deliveries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('state', '=', 'delivered')
          .executeTakeFirstOrThrow()
        return Number(rows.n) === acknowledgedIds.size
      },
      { timeoutMs: 30_000, message: 'every delivery to be recorded as delivered' },
    )
    expect(receiver.received).toHaveLength(acknowledgedIds.size)
    expect([...delivered().values()].every((count) => count === 1)).toBe(true)

    const metrics = await fetch(`${url}/metrics`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
    })
    expect(await metrics.text()).toMatch(/^backtrack_clicks_dropped_total 0$/m)
    // The database's own words are in the log, not a stand-in.
    expect(server.output()).toMatch(/database unavailable: (Connection terminated|.*ECONNRE)/)

    console.info('PostgreSQL outage, counts', {
      before,
      whileCut,
      after: {
        redirected: redirected.length - before.redirected - whileCut.redirected,
        acknowledged: acknowledgedAfter.size,
        resentAfterUnavailable: unavailable.size,
      },
      redirected: redirected.length,
      storedClicks: Number(clickRows.n),
      acknowledged: acknowledged.size,
      storedConversions: conversions.length,
      delivered: receiver.received.length,
    })
    await server.stop()
    await worker.stop()
    expect(await server.exited).toBe(0)
    expect(await worker.exited).toBe(0)
  }, 180_000)
})
