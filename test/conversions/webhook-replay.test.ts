import { Webhook } from 'standardwebhooks'
import { afterEach, expect, it } from 'vitest'
import { type RunningServer, startServer } from '../../src/main.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { click, conversionCount, setUp } from './postback-helpers.ts'

function signedHeaders(token: string, payload: string, id: string) {
  const at = new Date()
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(token, { format: 'raw' }).sign(id, at, payload),
  }
}

async function send(url: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${url}/postback`, { method: 'POST', body, headers })
  return { status: response.status, body: (await response.json()) as Record<string, string> }
}

// A goal that converts any number of times per click, without txid: only the webhook-id can
// tell a replay from a second real conversion.
const MULTIPLE = { goals: [{ key: 'lead', revenue: 1, payout: 1, allow_multiple: true }] }

describeEachEngine('inbound postback: replayed signed requests', (engine) => {
  let t: TestServer
  const others: RunningServer[] = []
  afterEach(async () => {
    for (const server of others.splice(0)) await server.close()
    await t.close()
  })

  it('the same signed request sent three times records one conversion', async () => {
    t = await startTestServer(engine)
    const { offer, affiliate, token } = await setUp(t, MULTIPLE)
    const body = JSON.stringify({ click_id: await click(t, offer.id, affiliate.id), goal: 'lead' })
    const headers = signedHeaders(token, body, 'msg_replayed')
    const results = []
    for (let i = 0; i < 3; i++) results.push(await send(t.url, body, headers))
    expect(results.map((res) => res.status)).toEqual([200, 200, 200])
    expect(results.map((res) => res.body.result)).toEqual(['accepted', 'duplicate', 'duplicate'])
    expect(results[1]!.body.reason).toBe('replayed_webhook')
    expect(new Set(results.map((res) => res.body.conversion_id)).size).toBe(1)
    expect(await conversionCount(t)).toBe(1)
    // A new message (its own webhook-id) on the same click is a conversion of its own.
    const next = await send(t.url, body, signedHeaders(token, body, 'msg_next'))
    expect(next.body.result).toBe('accepted')
    expect(await conversionCount(t)).toBe(2)
  })

  it('replays sent at once, through two app instances on one database, record one conversion', async () => {
    t = await startTestServer(engine)
    others.push(await startServer(t.config, { logger: false, print: () => {} }))
    const { offer, affiliate, token } = await setUp(t, MULTIPLE)
    const body = JSON.stringify({ click_id: await click(t, offer.id, affiliate.id), goal: 'lead' })
    const headers = signedHeaders(token, body, 'msg_concurrent')
    const urls = [t.url, others[0]!.url]
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => send(urls[i % 2]!, body, headers)),
    )
    expect(results.map((res) => res.status)).toEqual(Array(10).fill(200))
    expect(results.filter((res) => res.body.result === 'accepted')).toHaveLength(1)
    expect(results.filter((res) => res.body.reason === 'replayed_webhook')).toHaveLength(9)
    expect(new Set(results.map((res) => res.body.conversion_id)).size).toBe(1)
    expect(await conversionCount(t)).toBe(1)
  })

  it('the same webhook-id from another advertiser is not a replay', async () => {
    t = await startTestServer(engine)
    const first = await setUp(t, MULTIPLE)
    const second = await setUp(t, MULTIPLE)
    for (const { offer, affiliate, token } of [first, second]) {
      const body = JSON.stringify({
        click_id: await click(t, offer.id, affiliate.id),
        goal: 'lead',
      })
      const res = await send(t.url, body, signedHeaders(token, body, 'msg_shared'))
      expect(res.body.result).toBe('accepted')
    }
    expect(await conversionCount(t)).toBe(2)
  })
})
