import { createServer as createTcpServer, type Server, type Socket } from 'node:net'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { type CatalogIds, createDeliveryCatalog, enqueueEvent } from './enqueue.ts'
import { type Receiver, startReceiver } from './receiver.ts'

interface Attempt {
  status_code: number | null
  error: string | null
}

describeEachEngine('outbound postback failures', (engine) => {
  let t: TestServer | undefined
  let receiver: Receiver
  let ids: CatalogIds

  async function start(env: Record<string, string>) {
    t = await startTestServer(engine, { BACKTRACK_RETRY_SCHEDULE: '100ms,200ms', ...env })
    ids = await createDeliveryCatalog(t)
    return t
  }

  beforeEach(async () => {
    receiver = await startReceiver()
  })
  afterEach(async () => {
    await t?.close()
    t = undefined
    await receiver?.close()
  })

  async function endpoint(t: TestServer, url: string) {
    const res = await t.request('POST', '/api/v1/postbacks', {
      body: { affiliate_id: ids.affiliate, url },
    })
    expect(res.status).toBe(201)
    return res.body.id as string
  }

  async function finalDelivery(t: TestServer, endpointId: string, timeoutMs = 10_000) {
    return waitFor(
      async () => {
        const res = await t.request('GET', `/api/v1/deliveries?postback_id=${endpointId}`)
        const delivery = res.body.data[0]
        return delivery && delivery.state !== 'pending' && delivery
      },
      { timeoutMs: timeoutMs, message: `delivery to endpoint ${endpointId} to finish` },
    )
  }

  it('fails a 410 at once, and retries refused connections and DNS failures until the schedule ends', async () => {
    const t = await start({ BACKTRACK_ALLOW_PRIVATE_TARGETS: '1' })
    receiver.respond = (_request, response) => {
      response.statusCode = 410
      response.end('gone')
    }
    const gone = await endpoint(t, `${receiver.url}/gone`)
    const closed = await startReceiver()
    const refusedUrl = closed.url
    await closed.close()
    const refused = await endpoint(t, `${refusedUrl}/pb`)
    const dns = await endpoint(t, 'http://no-such-host.invalid/pb')
    await enqueueEvent(t, ids)

    const goneDelivery = await finalDelivery(t, gone)
    expect(goneDelivery.state).toBe('failed')
    expect(goneDelivery.attempts).toMatchObject([{ status_code: 410, response_body: 'gone' }])
    expect(receiver.received).toHaveLength(1)

    const refusedDelivery = await finalDelivery(t, refused)
    expect(refusedDelivery.state).toBe('failed')
    expect(refusedDelivery.attempts).toHaveLength(3)
    for (const attempt of refusedDelivery.attempts as Attempt[]) {
      expect(attempt.status_code).toBeNull()
      expect(attempt.error).toContain('ECONNREFUSED')
    }
    const dnsDelivery = await finalDelivery(t, dns)
    expect(dnsDelivery.state).toBe('failed')
    expect(dnsDelivery.attempts).toHaveLength(3)
    expect(dnsDelivery.attempts[0].error).toMatch(/^DNS lookup failed/)
  })

  it('keeps a reply holding NUL bytes and invalid UTF-8, and records its batch', async () => {
    const t = await start({ BACKTRACK_ALLOW_PRIVATE_TARGETS: '1' })
    receiver.respond = (_request, response) =>
      response.end(Buffer.from([0x6f, 0x6b, 0x00, 0xff, 0x21]))
    const odd = await endpoint(t, `${receiver.url}/odd`)
    const plain = await endpoint(t, `${receiver.url}/plain`)
    await enqueueEvent(t, ids)
    const delivery = await finalDelivery(t, odd)
    expect(delivery.state).toBe('delivered')
    expect(delivery.attempts).toMatchObject([
      { status_code: 200, response_body: 'ok\uFFFD\uFFFD!' },
    ])
    // The other endpoint's result went in the same batch or the next, and was recorded once.
    const other = await finalDelivery(t, plain)
    expect(other.state).toBe('delivered')
    expect(other.attempts).toHaveLength(1)
    expect(receiver.received).toHaveLength(2)
  })

  it('refuses private literals when the endpoint is saved, and private names after DNS', async () => {
    const t = await start({})
    const literals = [
      `${receiver.url}/literal`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.1.2.3/pb',
      'http://100.64.0.1/pb',
      'http://[::1]/pb',
      'http://[::ffff:127.0.0.1]/pb',
    ]
    for (const url of literals) {
      const res = await t.request('POST', '/api/v1/postbacks', {
        body: { affiliate_id: ids.affiliate, url },
      })
      expect(res.status, url).toBe(400)
      expect(res.body.error.code).toBe('private_target')
    }
    const byName = await endpoint(t, `http://localhost:${new URL(receiver.url).port}/by-name`)
    await enqueueEvent(t, ids)
    const delivery = await finalDelivery(t, byName)
    expect(delivery.state).toBe('failed')
    expect(delivery.attempts).toHaveLength(1)
    expect(delivery.attempts[0].status_code).toBeNull()
    expect(delivery.attempts[0].error).toMatch(/private or reserved address/)
    expect(receiver.received).toHaveLength(0)
  })

  it('records a timeout for a receiver that answers too late and one that never answers', async () => {
    const t = await start({
      BACKTRACK_ALLOW_PRIVATE_TARGETS: '1',
      BACKTRACK_RETRY_SCHEDULE: '1h',
    })
    receiver.respond = () => {} // reads the request, never responds
    const sockets: Socket[] = []
    const silent: Server = createTcpServer((socket) => sockets.push(socket)) // never speaks HTTP
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const port = (silent.address() as { port: number }).port
    const slow = await endpoint(t, `${receiver.url}/slow`)
    const mute = await endpoint(t, `http://127.0.0.1:${port}/mute`)
    await enqueueEvent(t, ids)
    try {
      for (const id of [slow, mute]) {
        const delivery = await waitFor(
          async () => {
            const res = await t.request('GET', `/api/v1/deliveries?postback_id=${id}`)
            return res.body.data[0]?.attempts.length === 1 && res.body.data[0]
          },
          { timeoutMs: 15_000, message: 'the first attempt to time out' },
        )
        expect(delivery.state).toBe('pending')
        expect(delivery.attempts[0].error).toBe('timed out after 10000 ms')
        expect(delivery.attempts[0].duration_ms).toBeGreaterThanOrEqual(9_900)
        expect(delivery.attempts[0].duration_ms).toBeLessThan(12_000)
        // Retried on the schedule (1 h ± 20 %), not stuck.
        const wait = Date.parse(delivery.next_attempt_at) - Date.now()
        expect(wait).toBeGreaterThan(0.75 * 3_600_000)
      }
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  }, 40_000)

  it('honours Retry-After on a 429, clamped to at least a second', async () => {
    const t = await start({ BACKTRACK_ALLOW_PRIVATE_TARGETS: '1' })
    let calls = 0
    receiver.respond = (_request, response) => {
      calls++
      if (calls === 1) {
        response.writeHead(429, { 'retry-after': '0' })
        response.end()
      } else response.end('ok')
    }
    const id = await endpoint(t, `${receiver.url}/limited`)
    await enqueueEvent(t, ids)
    const delivery = await finalDelivery(t, id)
    expect(delivery.state).toBe('delivered')
    expect(delivery.attempts.map((a: Attempt) => a.status_code)).toEqual([429, 200])
    const [first = 0, second = 0] = receiver.received.map((r) => r.at)
    expect(second - first).toBeGreaterThanOrEqual(950)
  })

  it('honours Retry-After on a 429 or 503 up to 6 hours, and clamps a longer one to 6 hours', async () => {
    const t = await start({ BACKTRACK_ALLOW_PRIVATE_TARGETS: '1' })
    const HOUR_MS = 3_600_000
    const answers: Record<string, [number, string]> = {
      '/seconds': [429, '999999999'],
      '/date': [503, new Date(Date.UTC(2100, 0, 1)).toUTCString()],
      '/within': [429, '7200'],
    }
    receiver.respond = (request, response) => {
      const [status, retryAfter] = answers[request.url] ?? [500, '']
      response.writeHead(status, { 'retry-after': retryAfter })
      response.end()
    }
    const endpoints: Record<string, string> = {}
    for (const path of Object.keys(answers)) {
      endpoints[path] = await endpoint(t, `${receiver.url}${path}`)
    }
    await enqueueEvent(t, ids)
    const waits: Record<string, number> = {}
    for (const [path, id] of Object.entries(endpoints)) {
      const delivery = await waitFor(
        async () => {
          const res = await t.request('GET', `/api/v1/deliveries?postback_id=${id}`)
          return res.body.data[0]?.attempts.length === 1 && res.body.data[0]
        },
        { message: `the first attempt to ${path}` },
      )
      expect(delivery.state).toBe('pending')
      expect(delivery.attempts[0].status_code).toBe(answers[path]![0])
      const attempt = delivery.attempts[0] as { at: string; duration_ms: number }
      waits[path] =
        Date.parse(delivery.next_attempt_at) - (Date.parse(attempt.at) + attempt.duration_ms)
    }
    // The schedule here is 100 ms; these are Retry-After's, to the second.
    expect(waits['/seconds']).toBeGreaterThan(6 * HOUR_MS - 1000)
    expect(waits['/seconds']).toBeLessThanOrEqual(6 * HOUR_MS + 1000)
    expect(waits['/date']).toBeGreaterThan(6 * HOUR_MS - 1000)
    expect(waits['/date']).toBeLessThanOrEqual(6 * HOUR_MS + 1000)
    expect(waits['/within']).toBeGreaterThan(2 * HOUR_MS - 1000)
    expect(waits['/within']).toBeLessThanOrEqual(2 * HOUR_MS + 1000)
    expect(receiver.received).toHaveLength(3)
  })
})
