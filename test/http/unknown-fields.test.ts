import { afterEach, beforeEach, expect, it } from 'vitest'
import { routeAccess } from '../../src/access/route-roles.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'

interface BodyOperation {
  requestBody?: { content?: Record<string, { example?: unknown; examples?: unknown }> }
}

const UNKNOWN = 'surprise_field'

describeEachEngine('unknown fields', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine)
  })
  afterEach(() => t.close())

  it('refuses an affiliate patch that names its id or timestamps, and leaves the row alone', async () => {
    const { affiliate } = await createCatalog(t)
    for (const [field, value] of [
      ['id', 77],
      ['created_at', 'garbage'],
      ['updated_at', 'garbage'],
      ['api_key', 'bt_aff_x'],
    ] as const) {
      const res = await t.request('PATCH', `/api/v1/affiliates/${affiliate.id}`, {
        body: { name: 'Renamed', [field]: value },
      })
      expect(res.status, field).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
      expect(res.body.error.message).toBe(`${field} is not a known field`)
      expect(res.body.error.details).toContainEqual({ field, message: 'is not a known field' })
    }
    const list = await t.request('GET', '/api/v1/affiliates')
    expect(list.status).toBe(200)
    expect(list.body.data).toEqual([
      expect.objectContaining({ id: affiliate.id, name: 'Traffic Co' }),
    ])
    const renamed = await t.request('PATCH', `/api/v1/affiliates/${affiliate.id}`, {
      body: { name: 'Renamed', status: 'paused' },
    })
    expect(renamed.body).toMatchObject({ id: affiliate.id, name: 'Renamed', status: 'paused' })
    expect(renamed.body.created_at).toBe(affiliate.created_at)
  })

  it('refuses an unknown field on an offer and on one of its goals, naming where it is', async () => {
    const { advertiser } = await createCatalog(t)
    const offer = {
      advertiser_id: advertiser.id,
      name: 'Capped',
      destination_url: 'https://shop.example/?cid={click_id}',
      revenue: '2',
      payout: '1',
    }
    // `caps` became a field of offers; a budget is not one.
    const capped = await t.request('POST', '/api/v1/offers', {
      body: { ...offer, daily_budget: 100 },
    })
    expect(capped.status).toBe(400)
    expect(capped.body.error.message).toBe('daily_budget is not a known field')
    const goal = { key: 'sale', revenue: 1, payout: 1, caps: 5 }
    const nested = await t.request('POST', '/api/v1/offers', { body: { ...offer, goals: [goal] } })
    expect(nested.status).toBe(400)
    expect(nested.body.error.message).toBe('goals.0.caps is not a known field')
    const list = await t.request('GET', '/api/v1/offers')
    expect(list.body.data.map((o: { name: string }) => o.name)).toEqual(['Acme Shoes'])
  })

  it('names an unknown field first even when required ones are missing too', async () => {
    const res = await t.request('POST', '/api/v1/advertisers', { body: { nmae: 'Acme' } })
    expect(res.status).toBe(400)
    expect(res.body.error.message).toBe('nmae is not a known field')
    expect(res.body.error.details).toContainEqual({ field: 'name', message: 'is required' })
  })

  it('refuses an unknown field on every operation of the OpenAPI document that takes a body', async () => {
    const { affiliate } = await createCatalog(t)
    const doc = await t.request('GET', '/api/openapi.json', { key: null })
    const walked: string[] = []
    for (const [path, item] of Object.entries(doc.body.paths)) {
      // The inbound postback takes whatever advertisers add; it is public and not an admin body.
      if (!path.startsWith('/api/v1/')) continue
      for (const [method, operation] of Object.entries(item as Record<string, BodyOperation>)) {
        const json = operation.requestBody?.content?.['application/json']
        if (json === undefined) continue
        const where = `${method.toUpperCase()} ${path}`
        const example = (json.example ?? {}) as Record<string, unknown>
        // A route for affiliates alone (asking for offer access) is called with an affiliate's key.
        const { roles } = routeAccess(method.toUpperCase(), path.replaceAll(/\{(\w+)\}/g, ':$1'))
        const key = Array.isArray(roles) && !roles.includes('admin') ? affiliate.api_key : undefined
        const res = await t.request(method.toUpperCase(), path.replace('{id}', '1'), {
          body: { ...example, [UNKNOWN]: 'x' },
          key,
        })
        expect(res.status, where).toBe(400)
        expect(res.body.error.code, where).toBe('validation_failed')
        expect(res.body.error.message, where).toBe(`${UNKNOWN} is not a known field`)
        walked.push(where)
      }
    }
    expect(walked).toEqual(
      expect.arrayContaining(['PATCH /api/v1/affiliates/{id}', 'POST /api/v1/offers']),
    )
    expect(walked.length).toBeGreaterThanOrEqual(10)
  })

  it('refuses unknown query parameters on lists, naming them', async () => {
    for (const path of [
      '/api/v1/offers?colour=red',
      '/api/v1/affiliates?limit=5&colour=red',
      '/api/v1/conversions?colour=red',
      '/api/v1/reports?colour=red',
      '/api/v1/postback-log?colour=red',
    ]) {
      const res = await t.request('GET', path)
      expect(res.status, path).toBe(400)
      expect(res.body.error.message, path).toBe('colour is not a known parameter')
    }
    expect((await t.request('GET', '/api/v1/offers?limit=5')).status).toBe(200)
  })

  it('still follows tracking links that carry parameters of their own', async () => {
    const { offer, affiliate } = await createCatalog(t)
    const query = `aff_id=${affiliate.id}&sub1=a&utm_source=news&gclid=xyz`
    const raw = await fetch(`${t.url}/c/${offer.id}?${query}`, { redirect: 'manual' })
    expect(raw.status).toBe(302)
    // The Fastify route (which the raw listener leaves `%`-escaped ids to) validates its query.
    const escaped = encodeURIComponent(offer.id).replace(/\d/, (d) => `%3${d}`)
    const routed = await fetch(`${t.url}/c/${escaped}?${query}`, { redirect: 'manual' })
    expect(routed.status).toBe(302)
  })
})
