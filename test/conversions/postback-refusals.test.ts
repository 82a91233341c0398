import { afterEach, beforeEach, expect, it } from 'vitest'
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

describeEachEngine('inbound postback: bad input', (engine) => {
  let t: TestServer
  let clickId: string
  let token: string
  beforeEach(async () => {
    t = await startTestServer(engine)
    const catalog = await setUp(t, {
      goals: [{ key: 'sale', revenue: 10, revenue_type: 'percent', payout: '1.00' }],
    })
    token = catalog.token
    clickId = await click(t, catalog.offer.id, catalog.affiliate.id)
  })
  afterEach(() => t.close())

  /** Sends a refused call and checks its answer, that nothing was stored, and its log line. */
  async function expectRefused(
    send: () => Promise<{ status: number; body: { error: { code: string } } }>,
    status: number,
    code: string,
  ) {
    const res = await send()
    expect(res.status, JSON.stringify(res.body)).toBe(status)
    expect(res.body.error.code).toBe(code)
    expect(await conversionCount(t)).toBe(0)
    const line = await lastLogLine(t)
    expect(line).toMatchObject({ result: 'error', http_status: status, reason: code })
  }

  it.each([
    ['no click id', {}, 'missing_click_id'],
    ['an empty click id', { click_id: '' }, 'missing_click_id'],
    ['a garbled click id', { click_id: 'not-a-click-id' }, 'invalid_click_id'],
    ['a click id with sql', { click_id: "x' or 1=1 --" }, 'invalid_click_id'],
  ])('refuses %s with 400', async (_name, params, code) => {
    await expectRefused(() => postbackGet(t, { ...params, token }), 400, code)
  })

  it('refuses a forged click id (one character changed) with 400 invalid_click_id', async () => {
    const last = clickId.at(-1) === 'A' ? 'B' : 'A'
    const forged = clickId.slice(0, -1) + last
    await expectRefused(() => postbackGet(t, { click_id: forged, token }), 400, 'invalid_click_id')
  })

  it.each([
    ['abc'],
    ['-5'],
    ['NaN'],
    ['Infinity'],
    ['0x10'],
    ['1e3'],
    ['1234567890123'],
    ['12.345'],
    ['1,50'],
    ['{amount}'],
  ])('refuses the amount %s with 400 invalid_amount', async (amount) => {
    await expectRefused(
      () => postbackGet(t, { click_id: clickId, goal: 'sale', amount, token }),
      400,
      'invalid_amount',
    )
  })

  it.each([[-1], [1e21], [0.001]])(
    'refuses the JSON amount %s with 400 invalid_amount',
    async (amount) => {
      const body = JSON.stringify({ click_id: clickId, amount, token })
      await expectRefused(() => postbackPost(t, body, 'application/json'), 400, 'invalid_amount')
    },
  )

  it('accepts the largest amount: 12 integer digits and trailing zeros', async () => {
    const res = await postbackGet(t, {
      click_id: clickId,
      goal: 'sale',
      amount: '999999999999.9900',
      token,
    })
    expect(res.status).toBe(200)
  })

  it.each([
    [{ goal: 'nope' }, 'unknown_goal'],
    [{ status: 'paid' }, 'invalid_status'],
    [{ currency: 'XXY' }, 'unknown_currency'],
    [{ currency: 'EUR' }, 'currency_mismatch'],
  ])('refuses %o with 400', async (params, code) => {
    await expectRefused(() => postbackGet(t, { click_id: clickId, token, ...params }), 400, code)
  })

  it('refuses a parameter given twice with different values, or under two aliases', async () => {
    const query = `click_id=${clickId}&token=${token}&txid=a&txid=b`
    await expectRefused(
      () => t.request('GET', `/postback?${query}`, { key: null }),
      400,
      'duplicate_parameter',
    )
    await expectRefused(
      () => postbackGet(t, { click_id: clickId, token, order_id: 'a', adv_sub: 'b' }),
      400,
      'duplicate_parameter',
    )
    await expectRefused(
      () =>
        postbackPost(t, JSON.stringify({ click_id: clickId, amount: 2 }), 'application/json', {
          query: `token=${token}&amount=3`,
        }),
      400,
      'duplicate_parameter',
    )
  })

  it('accepts the same parameter repeated with the same value', async () => {
    const query = `click_id=${clickId}&cid=${clickId}&token=${token}&txid=a&txid=a`
    const res = await t.request('GET', `/postback?${query}`, { key: null })
    expect(res.status).toBe(200)
  })

  it('refuses a body over 64 kB with 400 body_too_large', async () => {
    const body = JSON.stringify({ click_id: clickId, token, pad: 'x'.repeat(70 * 1024) })
    await expectRefused(() => postbackPost(t, body, 'application/json'), 400, 'body_too_large')
    const form = `click_id=${clickId}&token=${token}&pad=${'x'.repeat(70 * 1024)}`
    await expectRefused(
      () => postbackPost(t, form, 'application/x-www-form-urlencoded'),
      400,
      'body_too_large',
    )
  })

  it('accepts a body just under 64 kB', async () => {
    const body = JSON.stringify({ click_id: clickId, token, pad: 'x'.repeat(60 * 1024) })
    const res = await postbackPost(t, body, 'application/json')
    expect(res.status, JSON.stringify(res.body)).toBe(200)
  })

  it.each([['{"click_id": '], ['[1,2]'], ['"text"'], ['null']])(
    'refuses the JSON body %s with 400 invalid_json',
    async (body) => {
      await expectRefused(
        () => postbackPost(t, body, 'application/json', { query: `token=${token}` }),
        400,
        'invalid_json',
      )
    },
  )

  it('refuses a JSON parameter that is an object', async () => {
    const body = JSON.stringify({ click_id: { $ne: null }, token })
    await expectRefused(() => postbackPost(t, body, 'application/json'), 400, 'validation_failed')
  })

  it('refuses unsupported content types with 400 unsupported_content_type', async () => {
    await expectRefused(
      () => postbackPost(t, `click_id=${clickId}&token=${token}`, 'text/plain'),
      400,
      'unsupported_content_type',
    )
    await expectRefused(
      () =>
        postbackPost(t, '<x/>', 'application/xml', { query: `click_id=${clickId}&token=${token}` }),
      400,
      'unsupported_content_type',
    )
  })

  it('refuses a wrong or missing token with 401 invalid_token', async () => {
    await expectRefused(
      () => postbackGet(t, { click_id: clickId, token: 'nope' }),
      401,
      'invalid_token',
    )
    await expectRefused(() => postbackGet(t, { click_id: clickId }), 401, 'invalid_token')
  })

  it('refuses the token of another advertiser', async () => {
    const other = await t.request('POST', '/api/v1/advertisers', { body: { name: 'Other' } })
    await expectRefused(
      () => postbackGet(t, { click_id: clickId, token: other.body.postback_token }),
      401,
      'invalid_token',
    )
  })

  it('masks the token in the log and keeps every parameter', async () => {
    await postbackGet(t, { click_id: clickId, token, goal: 'nope', extra: 'kept' })
    const line = await lastLogLine(t)
    expect(line.params).toEqual({ click_id: clickId, token: '***', goal: 'nope', extra: 'kept' })
    expect(line).toMatchObject({ click_id: clickId, auth: 'token', method: 'GET', ip: '127.0.0.1' })
    expect(JSON.stringify(line)).not.toContain(token)
  })

  it('never answers 5xx to hostile input', async () => {
    const hostile = [
      `/postback?click_id[]=x&token=${token}`,
      `/postback?click_id=${'A'.repeat(5000)}&token=${token}`,
      '/postback?click_id=%00%ff&token=%',
      `/postback?click_id=${clickId}&token=${token}&amount=${'9'.repeat(400)}`,
      `/postback?click_id=${clickId}&token=${token}&txid=${'t'.repeat(300)}`,
      `/postback?click_id=${clickId}&token=${token}&goal=${'g'.repeat(300)}`,
    ]
    for (const path of hostile) {
      const res = await t.request('GET', path, { key: null })
      expect(res.status, path).toBeLessThan(500)
    }
    const bodies: Array<[string, string]> = [
      ['{"__proto__":{"x":1},"click_id":"a"}', 'application/json'],
      ['click_id=%E0%A4%A&token=1', 'application/x-www-form-urlencoded'],
      ['', 'application/json'],
      ['{"click_id": 12345678901234567890}', 'application/json'],
      ['{"click_id": true}', 'application/json'],
    ]
    for (const [body, type] of bodies) {
      const res = await postbackPost(t, body, type, { query: `token=${token}` })
      expect(res.status, body).toBeLessThan(500)
      expect(res.status, body).toBeGreaterThanOrEqual(400)
    }
    expect(await conversionCount(t)).toBe(0)
    // Prototype-ish names are plain unknown parameters; an empty status is the default.
    const odd = await t.request(
      'GET',
      `/postback?__proto__=x&constructor=y&click_id=${clickId}&token=${token}&status=`,
      { key: null },
    )
    expect(odd.status).toBe(200)
    expect(odd.body.status).toBe('approved')
  })
})
