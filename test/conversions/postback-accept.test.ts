import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { click, mintClickId, postbackGet, postbackPost, setUp } from './postback-helpers.ts'

const DAY_MS = 86_400_000

describeEachEngine('inbound postback: attribution', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine)
  })
  afterEach(() => t.close())

  it('records an approved conversion of the default goal with the click attribution', async () => {
    const { offer, affiliate, token, advertiser } = await setUp(t)
    const clickId = await click(
      t,
      offer.id,
      affiliate.id,
      { sub1: 'kw1', sub2: 'kw2', sub5: 'five', source: 'fb' },
      {
        'user-agent':
          'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      },
    )
    const res = await postbackGet(t, { click_id: clickId, token })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      result: 'accepted',
      conversion_id: expect.any(String),
      status: 'approved',
    })

    const conversion = await t.request('GET', `/api/v1/conversions/${res.body.conversion_id}`)
    expect(conversion.status).toBe(200)
    expect(conversion.body).toMatchObject({
      id: res.body.conversion_id,
      click_id: clickId,
      offer_id: offer.id,
      affiliate_id: affiliate.id,
      advertiser_id: advertiser.id,
      goal: 'default',
      txid: null,
      status: 'approved',
      reason: null,
      amount: null,
      revenue: 2.5,
      payout: 1.75,
      currency: 'USD',
      sub1: 'kw1',
      sub2: 'kw2',
      sub3: null,
      sub5: 'five',
      source: 'fb',
      device: 'mobile',
    })
    expect(conversion.body.seconds_to_convert).toBeGreaterThanOrEqual(0)
    expect(conversion.body.seconds_to_convert).toBeLessThan(60)
    expect(conversion.body.history).toEqual([
      expect.objectContaining({ from: null, to: 'approved', source: 'postback', reason: null }),
    ])
  })

  it('reads the same parameters from a query string, a form body and a JSON body', async () => {
    const { offer, affiliate, token } = await setUp(t, {
      goals: [
        {
          key: 'sale',
          revenue: 10,
          revenue_type: 'percent',
          payout: 5,
          payout_type: 'percent',
          allow_multiple: true,
        },
      ],
    })
    const clickId = await click(t, offer.id, affiliate.id)
    const viaQuery = await postbackGet(t, {
      click_id: clickId,
      goal: 'sale',
      amount: '20.00',
      txid: 'q',
      token,
    })
    const form = new URLSearchParams({
      click_id: clickId,
      goal: 'sale',
      amount: '20.00',
      txid: 'f',
      token,
    })
    const viaForm = await postbackPost(t, form.toString(), 'application/x-www-form-urlencoded')
    const viaJson = await postbackPost(
      t,
      JSON.stringify({ click_id: clickId, goal: 'sale', amount: 20, txid: 'j', token }),
      'application/json; charset=utf-8',
    )
    for (const res of [viaQuery, viaForm, viaJson]) {
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      expect(res.body.result).toBe('accepted')
      const conversion = (await t.request('GET', `/api/v1/conversions/${res.body.conversion_id}`))
        .body
      expect(conversion).toMatchObject({ goal: 'sale', amount: 20, revenue: 2, payout: 1 })
    }
  })

  it.each([
    ['clickid', 'order_id', 'event', 'sale_amount', 'security_token'],
    ['cid', 'conversion_id', 'goal', 'sum', 'token'],
    ['subid', 'adv_sub', 'event', 'amount', 'token'],
    ['transaction_id', 'adv_sub', 'goal', 'sale_amount', 'security_token'],
    ['cnv_id', 'tid', 'goal_id', 'sum', 'secure'],
    ['click_id', 'action_id', 'goal', 'sum', 'secure'],
  ])(
    'accepts the aliases %s, %s, %s, %s, %s',
    async (clickName, txidName, goalName, amountName, tokenName) => {
      const { offer, affiliate, token } = await setUp(t, {
        goals: [{ key: 'sale', revenue: 10, revenue_type: 'percent', payout: '1.00' }],
      })
      const clickId = await click(t, offer.id, affiliate.id)
      const res = await postbackGet(t, {
        [clickName]: clickId,
        [txidName]: 'ORDER-1',
        [goalName]: 'sale',
        [amountName]: '45.50',
        [tokenName]: token,
      })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      const conversion = (await t.request('GET', `/api/v1/conversions/${res.body.conversion_id}`))
        .body
      expect(conversion).toMatchObject({
        txid: 'ORDER-1',
        goal: 'sale',
        amount: 45.5,
        revenue: 4.55,
        payout: 1,
      })
    },
  )

  it('takes the status from the postback and maps the words other trackers send', async () => {
    const { offer, affiliate, token } = await setUp(t, {
      goals: [{ key: 'lead', revenue: 1, payout: 1, allow_multiple: true }],
    })
    const clickId = await click(t, offer.id, affiliate.id)
    const cases = [
      ['pending', 'pending'],
      ['rejected', 'rejected'],
      ['approved', 'approved'],
      ['sale', 'approved'],
      ['lead', 'pending'],
      ['declined', 'rejected'],
      ['PENDING', 'pending'],
    ]
    for (const [given, stored] of cases) {
      const res = await postbackGet(t, { click_id: clickId, goal: 'lead', status: given!, token })
      expect(res.status, given).toBe(200)
      expect(res.body, given).toMatchObject({ result: 'accepted', status: stored })
    }
  })

  it('pays a fixed goal as it is and a percent goal on the amount, exactly', async () => {
    const { offer, affiliate, token } = await setUp(t, {
      currency: 'EUR',
      revenue: '0.10',
      payout: '0.20',
      goals: [
        {
          key: 'upsell',
          revenue: '12.5',
          revenue_type: 'percent',
          payout: '7.3333',
          payout_type: 'percent',
        },
      ],
    })
    const first = await click(t, offer.id, affiliate.id)
    const fixed = await postbackGet(t, { click_id: first, amount: '99.99', token })
    const percent = await postbackGet(t, {
      click_id: first,
      goal: 'upsell',
      amount: '0.30',
      currency: 'eur',
      token,
    })
    const noAmount = await postbackGet(t, {
      click_id: await click(t, offer.id, affiliate.id),
      goal: 'upsell',
      token,
    })
    const get = async (res: { body: { conversion_id: string } }) =>
      (await t.request('GET', `/api/v1/conversions/${res.body.conversion_id}`)).body
    expect(await get(fixed)).toMatchObject({
      amount: 99.99,
      revenue: 0.1,
      payout: 0.2,
      currency: 'EUR',
    })
    // 12.5 % of 0.30 = 0.0375 → 0.04 (half up); 7.3333 % of 0.30 = 0.021999 → 0.02.
    expect(await get(percent)).toMatchObject({ amount: 0.3, revenue: 0.04, payout: 0.02 })
    expect(await get(noAmount)).toMatchObject({ amount: null, revenue: 0, payout: 0 })
  })

  it('uses the currency minor units: JPY has none, KWD has three', async () => {
    const jpy = await setUp(t, {
      currency: 'JPY',
      revenue: 300,
      payout: 200,
      goals: [
        { key: 'sale', revenue: 10, revenue_type: 'percent', payout: 5, payout_type: 'percent' },
      ],
    })
    const res = await postbackGet(t, {
      click_id: await click(t, jpy.offer.id, jpy.affiliate.id),
      goal: 'sale',
      amount: '1235',
      token: jpy.token,
    })
    expect(res.status).toBe(200)
    const conversion = (await t.request('GET', `/api/v1/conversions/${res.body.conversion_id}`))
      .body
    expect(conversion).toMatchObject({ amount: 1235, revenue: 124, payout: 62, currency: 'JPY' })
    const fraction = await postbackGet(t, {
      click_id: await click(t, jpy.offer.id, jpy.affiliate.id),
      amount: '10.5',
      token: jpy.token,
    })
    expect(fraction.status).toBe(400)
    expect(fraction.body.error.code).toBe('invalid_amount')
  })

  it('attributes by the click id alone when the click row is missing', async () => {
    const { offer, affiliate, token } = await setUp(t)
    const clickedAt = Date.now() - 3 * 3600_000
    const clickId = await mintClickId(t, offer.id, affiliate.id, clickedAt)
    const res = await postbackGet(t, { click_id: clickId, token })
    expect(res.status).toBe(200)
    expect(res.body.result).toBe('accepted')
    const conversion = (await t.request('GET', `/api/v1/conversions/${res.body.conversion_id}`))
      .body
    expect(conversion).toMatchObject({
      offer_id: offer.id,
      affiliate_id: affiliate.id,
      sub1: null,
      country: null,
      device: null,
      status: 'approved',
    })
    expect(conversion.seconds_to_convert).toBeGreaterThanOrEqual(3 * 3600 - 2)
    expect(conversion.seconds_to_convert).toBeLessThanOrEqual(3 * 3600 + 2)
  })

  it('records a conversion after the window as rejected with reason outside_window', async () => {
    const { offer, affiliate, token } = await setUp(t, { conversion_window_days: 7 })
    const late = await mintClickId(t, offer.id, affiliate.id, Date.now() - 7 * DAY_MS - 60_000)
    const res = await postbackGet(t, { click_id: late, txid: 'late-1', token })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      result: 'rejected',
      status: 'rejected',
      reason: 'outside_window',
    })
    const conversion = (await t.request('GET', `/api/v1/conversions/${res.body.conversion_id}`))
      .body
    expect(conversion).toMatchObject({ status: 'rejected', reason: 'outside_window', revenue: 2.5 })
    expect(conversion.history).toEqual([
      expect.objectContaining({ from: null, to: 'rejected', reason: 'outside_window' }),
    ])
    const again = await postbackGet(t, { click_id: late, txid: 'late-1', token })
    expect(again.body).toMatchObject({ result: 'duplicate', conversion_id: res.body.conversion_id })

    const inside = await mintClickId(t, offer.id, affiliate.id, Date.now() - 6 * DAY_MS)
    expect((await postbackGet(t, { click_id: inside, token })).body.result).toBe('accepted')
  })

  it('defaults the window to 30 days', async () => {
    const { offer, affiliate, token } = await setUp(t)
    const old = await mintClickId(t, offer.id, affiliate.id, Date.now() - 31 * DAY_MS)
    expect((await postbackGet(t, { click_id: old, token })).body.reason).toBe('outside_window')
    const recent = await mintClickId(t, offer.id, affiliate.id, Date.now() - 29 * DAY_MS)
    expect((await postbackGet(t, { click_id: recent, token })).body.result).toBe('accepted')
  })

  it('answers HEAD without recording anything', async () => {
    const { offer, affiliate, token } = await setUp(t)
    const clickId = await click(t, offer.id, affiliate.id)
    const head = await fetch(`${t.url}/postback?click_id=${clickId}&token=${token}`, {
      method: 'HEAD',
    })
    expect(head.status).not.toBe(200)
    const list = await t.request('GET', '/api/v1/conversions')
    expect(list.body.data).toHaveLength(0)
  })
})
