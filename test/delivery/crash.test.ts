import { afterEach, expect, it } from 'vitest'
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/engines.ts'
import { type Child, databaseEnv, serveProcess } from '../helpers/processes.ts'
import { TEST_ADMIN_KEY } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { type Receiver, startReceiver } from './receiver.ts'

const CONVERSIONS = 500

describeEachEngine('outbound postbacks across a crash', (engine) => {
  let database: TestDatabase | undefined
  let receiver: Receiver | undefined
  const children: Child[] = []

  afterEach(async () => {
    for (const child of children.splice(0)) await child.stop('SIGKILL')
    await receiver?.close()
    await database?.drop()
  })

  it('delivers every acknowledged conversion after a SIGKILL, each under a single event id', async () => {
    database = await createTestDatabase(engine)
    // The receiver's port, while nothing listens on it: the affiliate is down.
    const probe = await startReceiver()
    const port = Number(new URL(probe.url).port)
    await probe.close()
    const env = {
      ...databaseEnv(database.config),
      BACKTRACK_ALLOW_PRIVATE_TARGETS: '1',
      BACKTRACK_RETRY_SCHEDULE: '200ms,500ms,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s',
    }
    const start = async () => {
      const server = await serveProcess(env)
      children.push(server.child)
      return server
    }
    const first = await start()
    const api = async (path: string, body?: unknown) => {
      const response = await fetch(`${first.url}/api/v1${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      expect(response.ok).toBe(true)
      // biome-ignore lint/suspicious/noExplicitAny: the test reads the JSON it asserts on
      return (await response.json()) as any
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
    await api('/postbacks', {
      affiliate_id: affiliate.id,
      url: `http://127.0.0.1:${port}/pb?conversion={conversion_id}&event={event_id}`,
    })
    const clicks: string[] = []
    for (let i = 0; i < CONVERSIONS; i++) {
      const response = await fetch(`${first.url}/c/${offer.id}?aff_id=${affiliate.id}`, {
        redirect: 'manual',
      })
      clicks.push(new URL(response.headers.get('location')!).searchParams.get('cid')!)
    }

    // Post the conversions 20 at a time and kill the server, without warning, halfway through.
    const acknowledged = new Set<string>()
    let next = 0
    const post = async () => {
      while (next < clicks.length) {
        const clickId = clicks[next++]!
        const query = new URLSearchParams({ click_id: clickId, token: advertiser.postback_token })
        try {
          const response = await fetch(`${first.url}/postback?${query}`)
          const body = (await response.json()) as { result: string; conversion_id: string }
          if (response.status === 200 && body.result === 'accepted') {
            acknowledged.add(body.conversion_id)
          }
        } catch {
          return // the server is gone; this one was never acknowledged
        }
        if (acknowledged.size >= CONVERSIONS / 2) first.child.process.kill('SIGKILL')
      }
    }
    await Promise.all(Array.from({ length: 20 }, post))
    await first.child.exited
    expect(acknowledged.size).toBeGreaterThanOrEqual(CONVERSIONS / 2)

    const second = await start()
    receiver = await startReceiver(undefined, port)
    const byConversion = () => {
      const events = new Map<string, Set<string>>()
      for (const request of receiver!.received) {
        const query = new URL(request.url, 'http://x').searchParams
        const conversion = query.get('conversion')!
        const set = events.get(conversion) ?? new Set()
        set.add(query.get('event')!)
        set.add(String(request.headers['webhook-id']))
        events.set(conversion, set)
      }
      return events
    }
    await waitFor(() => [...acknowledged].every((id) => byConversion().has(id)), {
      timeoutMs: 60_000,
      message: 'every acknowledged conversion to be delivered',
    })
    for (const [conversion, events] of byConversion()) {
      expect({ conversion, events: [...events] }).toEqual({
        conversion,
        events: [expect.stringMatching(/^evt_/)],
      })
    }
    const delivered = await fetch(`${second.url}/api/v1/deliveries?state=delivered&limit=1000`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
    })
    const ids = new Set(
      ((await delivered.json()) as { data: Array<{ conversion_id: string }> }).data.map(
        (d) => d.conversion_id,
      ),
    )
    for (const id of acknowledged) expect(ids.has(id)).toBe(true)
  }, 120_000)
})
