import { afterEach, beforeEach, expect, it } from 'vitest'
import {
  click,
  conversionCount,
  lastLogLine,
  postbackGet,
  postbackPost,
  setUp,
} from '../conversions/postback-helpers.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'

const NUL = 'contains a NUL character (U+0000)'

describeEachEngine('a NUL character (U+0000)', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine)
  })
  afterEach(() => t.close())

  it('is refused with 400 validation_failed in a JSON body, a name, a query filter and a path', async () => {
    const named = await t.request('POST', '/api/v1/advertisers', { body: { name: 'Ac\u0000me' } })
    expect(named.status).toBe(400)
    expect(named.body.error).toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'name', message: NUL }],
    })
    const key = await t.request('POST', '/api/v1/advertisers', { body: { 'na\u0000me': 'x' } })
    expect(key.status).toBe(400)
    expect(key.body.error.details).toEqual([{ field: 'na\\0me', message: NUL }])

    const { offer } = await setUp(t)
    const goal = await t.request('PATCH', `/api/v1/offers/${offer.id}`, {
      body: { goals: [{ key: 'ok', revenue: 1, payout: 1, name: 'S\u0000' }] },
    })
    expect(goal.status).toBe(400)
    expect(goal.body.error.details).toEqual([{ field: 'goals.0.name', message: NUL }])

    for (const path of [
      '/api/v1/conversions?txid=OR%00D',
      '/api/v1/conversions?goal=%00',
      '/api/v1/reports?group_by=day&goal=a%00b',
      '/api/v1/advertisers?cursor=%00',
      `/api/v1/offers/${offer.id}%00`,
    ]) {
      const res = await t.request('GET', path)
      expect(res.status, path).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
      expect(res.body.error.details[0].message).toBe(NUL)
    }
  })

  it('is refused in every inbound postback parameter, and the refusal is logged', async () => {
    const catalog = await setUp(t)
    const clickId = await click(t, catalog.offer.id, catalog.affiliate.id)
    const base = { click_id: clickId, token: catalog.token }
    const calls = [
      () => postbackGet(t, { ...base, txid: 'ORD\u0000A' }),
      () => postbackGet(t, { ...base, txid: 'ORD\u0000B', unrelated: '\u0000' }),
      () => postbackGet(t, { ...base, 'x\u0000': '1' }),
      () => postbackPost(t, JSON.stringify({ ...base, txid: 'ORD\u0000C' }), 'application/json'),
      () =>
        postbackPost(
          t,
          new URLSearchParams({ ...base, txid: 'ORD\u0000D' }).toString(),
          'application/x-www-form-urlencoded',
        ),
    ]
    for (const send of calls) {
      const res = await send()
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
      expect(res.body.error.message).toContain(NUL)
      expect(await lastLogLine(t)).toMatchObject({
        result: 'error',
        http_status: 400,
        reason: 'validation_failed',
      })
    }
    // Not JSON at all: the parser's message quotes the NUL, and the log line still goes in.
    const garbled = await postbackPost(t, '\u0000', 'application/json', {
      query: new URLSearchParams(base).toString(),
    })
    expect(garbled.body.error.code).toBe('invalid_json')
    expect(await lastLogLine(t)).toMatchObject({ reason: 'invalid_json', http_status: 400 })
    expect(await conversionCount(t)).toBe(0)
    const ok = await postbackGet(t, { ...base, txid: 'ORD' })
    expect(ok.body.result).toBe('accepted')
  })
})
