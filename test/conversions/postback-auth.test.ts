import { Webhook } from 'standardwebhooks'
import { afterEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import {
  click,
  conversionCount,
  lastLogLine,
  postbackGet,
  postbackPost,
  setUp,
} from './postback-helpers.ts'

function signedHeaders(token: string, payload: string, at = new Date(), id = 'msg_1') {
  const signature = new Webhook(token, { format: 'raw' }).sign(id, at, payload)
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  }
}

describeEachEngine('inbound postback: authentication', (engine) => {
  let t: TestServer
  afterEach(() => t.close())

  it('accepts a JSON POST signed with the standardwebhooks package and no token', async () => {
    t = await startTestServer(engine)
    const { offer, affiliate, token } = await setUp(t)
    const clickId = await click(t, offer.id, affiliate.id)
    const body = JSON.stringify({ click_id: clickId, txid: 'signed-1' })
    const res = await postbackPost(t, body, 'application/json', {
      headers: signedHeaders(token, body),
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.result).toBe('accepted')
    expect((await lastLogLine(t)).auth).toBe('signature')
  })

  it('accepts a signed form POST and a signed GET (its query string is the payload)', async () => {
    t = await startTestServer(engine)
    const { offer, affiliate, token } = await setUp(t, {
      goals: [{ key: 'lead', revenue: 1, payout: 1, allow_multiple: true }],
    })
    const clickId = await click(t, offer.id, affiliate.id)
    const form = new URLSearchParams({ click_id: clickId, goal: 'lead' }).toString()
    const viaForm = await postbackPost(t, form, 'application/x-www-form-urlencoded', {
      headers: signedHeaders(token, form),
    })
    expect(viaForm.status, JSON.stringify(viaForm.body)).toBe(200)
    const query = new URLSearchParams({ click_id: clickId, goal: 'lead' }).toString()
    const viaGet = await t.request('GET', `/postback?${query}`, {
      key: null,
      headers: signedHeaders(token, query),
    })
    expect(viaGet.status, JSON.stringify(viaGet.body)).toBe(200)
  })

  it('accepts any of several signatures when one matches (key rotation)', async () => {
    t = await startTestServer(engine)
    const { offer, affiliate, token } = await setUp(t)
    const body = JSON.stringify({ click_id: await click(t, offer.id, affiliate.id) })
    const headers = signedHeaders(token, body)
    headers['webhook-signature'] = `v1,AAAA ${headers['webhook-signature']}`
    const res = await postbackPost(t, body, 'application/json', { headers })
    expect(res.status).toBe(200)
  })

  it('refuses a tampered body, a wrong secret, a stale or future timestamp, missing headers', async () => {
    t = await startTestServer(engine)
    const { offer, affiliate, token } = await setUp(t)
    const clickId = await click(t, offer.id, affiliate.id)
    const body = JSON.stringify({ click_id: clickId, amount: '1.00' })
    const tampered = JSON.stringify({ click_id: clickId, amount: '9.00' })
    const minutes = (n: number) => new Date(Date.now() + n * 60_000)
    const { 'webhook-signature': _, ...unsigned } = signedHeaders(token, body)
    const attempts: Array<[string, string, Record<string, string>]> = [
      ['tampered', tampered, signedHeaders(token, body)],
      ['wrong secret', body, signedHeaders('another-secret', body)],
      ['stale', body, signedHeaders(token, body, minutes(-6))],
      ['future', body, signedHeaders(token, body, minutes(6))],
      ['no signature', body, unsigned],
      ['garbage timestamp', body, { ...signedHeaders(token, body), 'webhook-timestamp': 'soon' }],
    ]
    for (const [name, sent, headers] of attempts) {
      const res = await postbackPost(t, sent, 'application/json', { headers })
      expect(res.status, name).toBe(401)
      expect(res.body.error.code, name).toBe('invalid_signature')
    }
    // Just inside the tolerance is fine.
    const ok = await postbackPost(t, body, 'application/json', {
      headers: signedHeaders(token, body, minutes(-4)),
    })
    expect(ok.status).toBe(200)
  })

  it('refuses a signed POST whose query string carries parameters the signature does not cover', async () => {
    t = await startTestServer(engine)
    const { offer, affiliate, token } = await setUp(t)
    const body = JSON.stringify({ click_id: await click(t, offer.id, affiliate.id) })
    const res = await postbackPost(t, body, 'application/json', {
      query: 'amount=1000',
      headers: signedHeaders(token, body),
    })
    expect(res.status).toBe(401)
    expect(res.body.error.code).toBe('invalid_signature')
    expect(await conversionCount(t)).toBe(0)
  })

  it('refuses a source outside the IPv4 allowlist with 403 and accepts one inside', async () => {
    t = await startTestServer(engine)
    const { offer, affiliate, token, advertiser } = await setUp(t)
    const clickId = await click(t, offer.id, affiliate.id)
    await t.request('PATCH', `/api/v1/advertisers/${advertiser.id}`, {
      body: { postback_ip_allowlist: ['10.0.0.0/8'] },
    })
    const outside = await postbackGet(t, { click_id: clickId, token })
    expect(outside.status).toBe(403)
    expect(outside.body.error.code).toBe('ip_not_allowed')
    expect(await conversionCount(t)).toBe(0)
    expect((await lastLogLine(t)).reason).toBe('ip_not_allowed')
    await t.request('PATCH', `/api/v1/advertisers/${advertiser.id}`, {
      body: { postback_ip_allowlist: ['10.0.0.0/8', '127.0.0.0/24'] },
    })
    expect((await postbackGet(t, { click_id: clickId, token })).status).toBe(200)
  })

  it('matches IPv6 sources against IPv6 ranges (through a trusted proxy)', async () => {
    t = await startTestServer(engine, { BACKTRACK_TRUST_PROXY: '127.0.0.1' })
    const { offer, affiliate, token, advertiser } = await setUp(t, {
      goals: [{ key: 'lead', revenue: 1, payout: 1, allow_multiple: true }],
    })
    const clickId = await click(t, offer.id, affiliate.id)
    await t.request('PATCH', `/api/v1/advertisers/${advertiser.id}`, {
      body: { postback_ip_allowlist: ['2001:db8:abcd::/48'] },
    })
    const from = (ip: string) =>
      postbackGet(t, { click_id: clickId, goal: 'lead', token }, { 'x-forwarded-for': ip })
    expect((await from('2001:db8:abcd:12::7')).status).toBe(200)
    expect((await from('2001:db8:abce::1')).status).toBe(403)
    expect((await from('203.0.113.9')).status).toBe(403)
    expect((await lastLogLine(t)).ip).toBe('203.0.113.9')
  })

  it('checks the allowlist with a valid signature too', async () => {
    t = await startTestServer(engine)
    const { offer, affiliate, token, advertiser } = await setUp(t)
    await t.request('PATCH', `/api/v1/advertisers/${advertiser.id}`, {
      body: { postback_ip_allowlist: ['192.0.2.0/24'] },
    })
    const body = JSON.stringify({ click_id: await click(t, offer.id, affiliate.id) })
    const res = await postbackPost(t, body, 'application/json', {
      headers: signedHeaders(token, body),
    })
    expect(res.status).toBe(403)
  })
})
