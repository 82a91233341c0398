import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'

describeEachEngine('affiliates and their postback endpoints', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine)
  })
  afterEach(() => t.close())

  it('creates an affiliate with an API key shown only once', async () => {
    const res = await t.request('POST', '/api/v1/affiliates', { body: { name: 'Traffic Co' } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ name: 'Traffic Co', status: 'active' })
    expect(res.body.api_key).toMatch(/^bt_aff_[A-Za-z0-9_-]{43}$/)
    const read = await t.request('GET', `/api/v1/affiliates/${res.body.id}`)
    expect(read.body.api_key).toBeUndefined()
    const paused = await t.request('PATCH', `/api/v1/affiliates/${res.body.id}`, {
      body: { status: 'paused' },
    })
    expect(paused.body.status).toBe('paused')
    expect(
      (await t.request('PATCH', `/api/v1/affiliates/${res.body.id}`, { body: { status: 'gone' } }))
        .status,
    ).toBe(400)
  })

  it("stops a paused affiliate's key with 401 and lets it work again once active", async () => {
    const created = await t.request('POST', '/api/v1/affiliates', { body: { name: 'Traffic Co' } })
    const key = created.body.api_key
    const own = `/api/v1/affiliates/${created.body.id}`
    expect((await t.request('GET', own, { key })).status).toBe(200)
    await t.request('PATCH', own, { body: { status: 'paused' } })
    const paused = await t.request('GET', own, { key })
    expect(paused.status).toBe(401)
    expect(paused.body.error.code).toBe('unauthorized')
    await t.request('PATCH', own, { body: { status: 'active' } })
    expect((await t.request('GET', own, { key })).status).toBe(200)
  })

  it('rotates an affiliate key: the new one is shown once, the old one stops at once', async () => {
    const created = await t.request('POST', '/api/v1/affiliates', { body: { name: 'Traffic Co' } })
    const old = created.body.api_key
    const own = `/api/v1/affiliates/${created.body.id}`
    const byAffiliate = await t.request('POST', `${own}/rotate-key`, { key: old })
    expect(byAffiliate.status).toBe(403)
    const rotated = await t.request('POST', `${own}/rotate-key`)
    expect(rotated.status).toBe(200)
    expect(rotated.body).toEqual({ api_key: expect.stringMatching(/^bt_aff_[A-Za-z0-9_-]{43}$/) })
    expect(rotated.body.api_key).not.toBe(old)
    expect((await t.request('GET', own, { key: old })).status).toBe(401)
    const read = await t.request('GET', own, { key: rotated.body.api_key })
    expect(read.status).toBe(200)
    expect(read.body.api_key).toBeUndefined()
    expect((await t.request('POST', '/api/v1/affiliates/9999/rotate-key')).status).toBe(404)
  })

  it('creates, reads, lists and updates a postback endpoint with its defaults', async () => {
    const { affiliate, offer } = await createCatalog(t)
    const res = await t.request('POST', '/api/v1/postbacks', {
      body: {
        affiliate_id: affiliate.id,
        url: 'https://aff.example/pb?c={click_id}&p={payout}&e={event_id}',
      },
    })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      affiliate_id: affiliate.id,
      offer_id: null,
      method: 'GET',
      body_template: null,
      goals: null,
      statuses: ['approved'],
      sign: false,
    })
    expect(res.body.signing_secret).toBeUndefined()

    const signed = await t.request('PATCH', `/api/v1/postbacks/${res.body.id}`, {
      body: {
        offer_id: offer.id,
        method: 'POST',
        body_template: '{"click":"{click_id}","payout":{payout}}',
        statuses: ['approved', 'rejected'],
        goals: ['default'],
        sign: true,
      },
    })
    expect(signed.status).toBe(200)
    expect(signed.body).toMatchObject({
      offer_id: offer.id,
      method: 'POST',
      content_type: 'application/json',
      sign: true,
    })
    expect(signed.body.signing_secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/)

    const again = await t.request('PATCH', `/api/v1/postbacks/${res.body.id}`, {
      body: { statuses: ['pending'] },
    })
    expect(again.body.signing_secret).toBe(signed.body.signing_secret)

    const list = await t.request('GET', `/api/v1/postbacks?affiliate_id=${affiliate.id}`)
    expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([res.body.id])
  })

  it.each([
    ['an unknown macro', { url: 'https://aff.example/?x={payoutt}' }, 'unknown_macro'],
    ['an invalid URL', { url: 'aff.example/pb' }, 'invalid_url'],
    ['an unknown offer', { offer_id: '777' }, 'unknown_offer'],
    ['an unknown affiliate', { affiliate_id: '777' }, 'unknown_affiliate'],
    ['a body with GET', { body_template: '{}' }, 'validation_failed'],
    ['an unknown status', { statuses: ['paid'] }, 'validation_failed'],
  ])('refuses %s with 400', async (_name, extra, code) => {
    const { affiliate } = await createCatalog(t)
    const res = await t.request('POST', '/api/v1/postbacks', {
      body: { affiliate_id: affiliate.id, url: 'https://aff.example/pb?c={click_id}', ...extra },
    })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe(code)
    expect((await t.request('GET', '/api/v1/postbacks')).body.data).toEqual([])
  })

  it('refuses a private or reserved IP literal on create and update, unless private targets are allowed', async () => {
    const { affiliate } = await createCatalog(t)
    for (const url of [
      'http://127.0.0.1:8080/pb',
      'http://[::127.0.0.1]/pb',
      'http://[::ffff:0:127.0.0.1]/pb',
      'https://[64:ff9b:1::a00:1]/pb',
      'https://[2002:a00:1::1]/pb',
      'https://[fec0::1]/pb',
      'http://169.254.169.254/latest/meta-data/?c={click_id}',
    ]) {
      const res = await t.request('POST', '/api/v1/postbacks', {
        body: { affiliate_id: affiliate.id, url },
      })
      expect(res.status, url).toBe(400)
      expect(res.body.error.code).toBe('private_target')
      expect(res.body.error.details).toEqual([
        { field: 'url', message: 'is a private or reserved address' },
      ])
    }
    const created = await t.request('POST', '/api/v1/postbacks', {
      body: { affiliate_id: affiliate.id, url: 'https://203.0.114.9/pb' },
    })
    expect(created.status).toBe(201)
    const moved = await t.request('PATCH', `/api/v1/postbacks/${created.body.id}`, {
      body: { url: 'http://10.0.0.1/pb' },
    })
    expect(moved.status).toBe(400)
    expect(moved.body.error.code).toBe('private_target')

    const allowing = await startTestServer(engine, { BACKTRACK_ALLOW_PRIVATE_TARGETS: '1' })
    try {
      const { affiliate: own } = await createCatalog(allowing)
      const res = await allowing.request('POST', '/api/v1/postbacks', {
        body: { affiliate_id: own.id, url: 'http://127.0.0.1:8080/pb' },
      })
      expect(res.status).toBe(201)
    } finally {
      await allowing.close()
    }
  })

  it('refuses goal keys the named offer does not have', async () => {
    const { affiliate, offer } = await createCatalog(t)
    const res = await t.request('POST', '/api/v1/postbacks', {
      body: {
        affiliate_id: affiliate.id,
        offer_id: offer.id,
        url: 'https://a.example/',
        goals: ['nope'],
      },
    })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('unknown_goal')
  })
})
