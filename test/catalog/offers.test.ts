import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'

describeEachEngine('offers', (engine) => {
  let t: TestServer
  let advertiserId: string
  beforeEach(async () => {
    t = await startTestServer(engine)
    advertiserId = (await t.request('POST', '/api/v1/advertisers', { body: { name: 'Acme' } })).body
      .id
  })
  afterEach(() => t.close())

  const offer = (extra: Record<string, unknown> = {}) => ({
    advertiser_id: advertiserId,
    name: 'Shoes',
    destination_url: 'https://shop.example/?cid={click_id}&aff={affiliate_id}',
    revenue: 0.1,
    payout: '0.2',
    ...extra,
  })

  it('creates an offer with defaults, exact money, goals and a tracking URL', async () => {
    const res = await t.request('POST', '/api/v1/offers', {
      body: offer({
        goals: [
          {
            key: 'sale',
            revenue: 10,
            revenue_type: 'percent',
            payout: '7.5',
            payout_type: 'percent',
          },
          { key: 'lead', name: 'Lead', revenue: '1.10', payout: 0.7, allow_multiple: true },
        ],
      }),
    })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      advertiser_id: advertiserId,
      status: 'active',
      currency: 'USD',
      revenue: 0.1,
      revenue_type: 'fixed',
      payout: 0.2,
      payout_type: 'fixed',
      conversion_window_days: 30,
      fallback_url: null,
      tracking_url: `${t.config.publicUrl}/c/${res.body.id}?aff_id={affiliate_id}`,
    })
    expect(res.body.goals).toEqual([
      {
        key: 'sale',
        name: 'sale',
        revenue: 10,
        revenue_type: 'percent',
        payout: 7.5,
        payout_type: 'percent',
        allow_multiple: false,
      },
      {
        key: 'lead',
        name: 'Lead',
        revenue: 1.1,
        revenue_type: 'fixed',
        payout: 0.7,
        payout_type: 'fixed',
        allow_multiple: true,
      },
    ])
    expect((await t.request('GET', `/api/v1/offers/${res.body.id}`)).body).toEqual(res.body)
  })

  it('patches fields, replaces goals by key and re-checks amounts on a currency change', async () => {
    const created = await t.request('POST', '/api/v1/offers', {
      body: offer({
        goals: [
          { key: 'sale', revenue: 5, payout: 3 },
          { key: 'lead', revenue: 1, payout: 1 },
        ],
      }),
    })
    const id = created.body.id
    const paused = await t.request('PATCH', `/api/v1/offers/${id}`, {
      body: { status: 'paused', goals: [{ key: 'sale', revenue: 6, payout: 4 }] },
    })
    expect(paused.status).toBe(200)
    expect(paused.body.status).toBe('paused')
    expect(
      paused.body.goals.map((g: { key: string; revenue: number }) => [g.key, g.revenue]),
    ).toEqual([['sale', 6]])
    expect(paused.body.revenue).toBe(0.1)

    const toYen = await t.request('PATCH', `/api/v1/offers/${id}`, { body: { currency: 'JPY' } })
    expect(toYen.status).toBe(400)
    expect(toYen.body.error.code).toBe('invalid_amount')
    expect((await t.request('GET', `/api/v1/offers/${id}`)).body.currency).toBe('USD')

    const yen = await t.request('PATCH', `/api/v1/offers/${id}`, {
      body: { currency: 'JPY', revenue: 300, payout: 200 },
    })
    expect(yen.status).toBe(200)
    expect(yen.body).toMatchObject({ currency: 'JPY', revenue: 300, payout: 200 })
  })

  it.each([
    'https://{sub1}/x',
    'https:{sub1}',
    'https:{sub1}/x',
    'https://x{sub1}.com/',
    'https://{sub1}@shop.example/',
    'https://shop.example:{sub1}/',
    'https://shop.example{sub1}',
    'https://shop.example\\{sub1}',
    'http{sub1}://shop.example/',
  ])('refuses a macro before the path, as in %s, on create and update', async (url) => {
    for (const field of ['destination_url', 'fallback_url']) {
      const created = await t.request('POST', '/api/v1/offers', { body: offer({ [field]: url }) })
      expect(created.status).toBe(400)
      expect(created.body.error).toMatchObject({ code: 'invalid_url', details: [{ field }] })
    }
    const { id } = (await t.request('POST', '/api/v1/offers', { body: offer() })).body
    for (const field of ['destination_url', 'fallback_url']) {
      const updated = await t.request('PATCH', `/api/v1/offers/${id}`, { body: { [field]: url } })
      expect(updated.status).toBe(400)
      expect(updated.body.error).toMatchObject({ code: 'invalid_url', details: [{ field }] })
    }
  })

  it('accepts macros in the path, query and fragment', async () => {
    const url = 'https://user@shop.example:8443/{sub1}/p?c={click_id}#{sub2}'
    const res = await t.request('POST', '/api/v1/offers', {
      body: offer({ destination_url: url, fallback_url: 'https://fb.example?s={sub1}' }),
    })
    expect(res.status).toBe(201)
    expect(res.body.destination_url).toBe(url)
  })

  it.each([
    ['missing fields', { name: 'x' }, 'validation_failed'],
    ['a wrong type', { payout: true }, 'validation_failed'],
    ['an unknown advertiser', { advertiser_id: '9999' }, 'unknown_advertiser'],
    ['an invalid URL', { destination_url: 'not a url' }, 'invalid_url'],
    ['a non-http URL', { destination_url: 'javascript:alert(1)' }, 'invalid_url'],
    ['an unknown macro', { destination_url: 'https://x.example/?a={nope}' }, 'unknown_macro'],
    ['a negative payout', { payout: -1 }, 'invalid_amount'],
    ['a float that is not money', { payout: 0.001 }, 'invalid_amount'],
    ['NaN as a string', { revenue: 'NaN' }, 'invalid_amount'],
    ['an unknown currency', { currency: 'XYZ' }, 'unknown_currency'],
    ['a lower-case currency', { currency: 'usd' }, 'validation_failed'],
    [
      'a duplicate goal key',
      {
        goals: [
          { key: 'a', revenue: 1, payout: 1 },
          { key: 'a', revenue: 1, payout: 1 },
        ],
      },
      'duplicate_goal',
    ],
    [
      'a goal named default',
      { goals: [{ key: 'default', revenue: 1, payout: 1 }] },
      'duplicate_goal',
    ],
    ['a percent over 1000', { payout_type: 'percent', payout: 1001 }, 'invalid_amount'],
  ])('refuses %s with 400 and stores nothing', async (_name, extra, code) => {
    const body = extra === null ? {} : { ...offer(), ...extra }
    if ('name' in extra && Object.keys(extra).length === 1) {
      for (const field of ['advertiser_id', 'destination_url', 'revenue', 'payout']) {
        delete (body as Record<string, unknown>)[field]
      }
    }
    const res = await t.request('POST', '/api/v1/offers', { body })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe(code)
    expect(res.body.error.message).toEqual(expect.any(String))
    expect((await t.request('GET', '/api/v1/offers')).body.data).toEqual([])
  })

  it('filters the list by advertiser and status', async () => {
    await t.request('POST', '/api/v1/offers', { body: offer({ name: 'a' }) })
    await t.request('POST', '/api/v1/offers', { body: offer({ name: 'b', status: 'paused' }) })
    const paused = await t.request('GET', '/api/v1/offers?status=paused')
    expect(paused.body.data.map((o: { name: string }) => o.name)).toEqual(['b'])
    const other = await t.request('GET', '/api/v1/offers?advertiser_id=424242')
    expect(other.body.data).toEqual([])
  })

  it('loses no field when patches of different fields race, and audits each against the last', async () => {
    const created = await t.request('POST', '/api/v1/offers', { body: offer() })
    const id = created.body.id
    const patches = Array.from({ length: 6 }, (_, i) =>
      i % 2 === 0 ? { name: `Shoes ${i}` } : { payout: `${i}.00` },
    )
    const answers = await Promise.all(
      patches.map((body) => t.request('PATCH', `/api/v1/offers/${id}`, { body })),
    )
    expect(answers.map((a) => a.status)).toEqual(patches.map(() => 200))
    const after = await t.request('GET', `/api/v1/offers/${id}`)
    expect(after.body.name).toMatch(/^Shoes \d$/)
    expect(after.body.payout).not.toBe(0.2)
    // Each change was audited against the state the one before it left.
    const log = await t.request('GET', `/api/v1/audit-log?entity=offer&entity_id=${id}`)
    const updates = log.body.data.filter((entry: { action: string }) => entry.action === 'update')
    expect(updates).toHaveLength(patches.length)
  })
})
