import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { startClickTracking } from '../../src/clicks/index.ts'
import { trackingLinkListener } from '../../src/clicks/routes.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { clickIdOf, storedClick } from './stored-click.ts'

const DESTINATION = 'https://shop.example/landing?cid={click_id}&s1={sub1}&a={affiliate_id}'

describeEachEngine('tracking link on the raw listener', (engine) => {
  let t: TestServer
  let offerId: string
  let affiliateId: string
  let pausedOfferId: string
  let advertiserId: string
  beforeEach(async () => {
    t = await startTestServer(engine)
    const catalog = await createCatalog(t, { destination_url: DESTINATION })
    offerId = catalog.offer.id
    affiliateId = catalog.affiliate.id
    advertiserId = catalog.advertiser.id
    const paused = await t.request('POST', '/api/v1/offers', {
      body: {
        advertiser_id: catalog.advertiser.id,
        name: 'Paused',
        destination_url: DESTINATION,
        fallback_url: 'https://shop.example/other?a={affiliate_id}&s1={sub1}',
        status: 'paused',
        revenue: '1',
        payout: '1',
      },
    })
    pausedOfferId = paused.body.id
  })
  afterEach(() => t.close())

  it('takes GET and HEAD of /c/{id} and leaves everything else to Fastify', async () => {
    const tracker = await startClickTracking(t.server.database.db)
    const listener = trackingLinkListener({
      tracker,
      trustProxy: [],
      observe: () => {},
      log: { info: () => {}, error: () => {} },
    })
    // Requests the listener leaves are answered 599 here, so the test sees which ones it took.
    const server = createServer((request, response) => {
      if (!listener.take(request, response)) response.writeHead(599).end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      const statusOf = async (path: string, method = 'GET') =>
        (await fetch(base + path, { method, redirect: 'manual' })).status
      expect(await statusOf(`/c/${offerId}?aff_id=${affiliateId}`)).toBe(302)
      expect(await statusOf(`/c/${offerId}?aff_id=${affiliateId}`, 'HEAD')).toBe(302)
      expect(await statusOf(`/c/${offerId}`)).toBe(400)
      expect(await statusOf('/c/123456?aff_id=1')).toBe(404)
      expect(await statusOf(`/c/${offerId}?aff_id=1&sub1=${'x'.repeat(8200)}`)).toBe(414)
      for (const path of [`/c/${offerId}/?aff_id=1`, '/c/%31?aff_id=1', '/c/', '/C/1', '/cx/1']) {
        expect(await statusOf(path), path).toBe(599)
      }
      expect(await statusOf(`/c/${'9'.repeat(101)}?aff_id=1`)).toBe(599)
      expect(await statusOf(`/c/${offerId}?aff_id=${affiliateId}`, 'POST')).toBe(599)
      listener.stopTaking()
      expect(await statusOf(`/c/${offerId}?aff_id=${affiliateId}`)).toBe(599)
    } finally {
      await closeServer(server)
      await tracker.stop()
    }
  })

  it('answers as the Fastify route does, for every kind of answer', async () => {
    const cases = {
      redirect: `/c/${offerId}?aff_id=${affiliateId}&sub1=a%20b`,
      'no aff_id (400)': `/c/${offerId}`,
      'empty aff_id (400)': `/c/${offerId}?aff_id=`,
      'unknown offer (404)': '/c/123456?aff_id=1',
      'unknown affiliate (404)': `/c/${offerId}?aff_id=999999`,
      'paused offer (fallback)': `/c/${pausedOfferId}?aff_id=${affiliateId}&sub1=x`,
      'query too long (414)': `/c/${offerId}?aff_id=${affiliateId}&sub1=${'a'.repeat(8200)}`,
      'offer id not a number (404)': `/c/abc?aff_id=${affiliateId}`,
    }
    for (const method of ['GET', 'HEAD'] as const) {
      for (const [name, path] of Object.entries(cases)) {
        await expectSameAnswers(t, method, path, `${method} ${name}`)
      }
    }
  })

  it('answers as the Fastify route does right after a catalog change, and stores both clicks', async () => {
    // Each new offer leaves the catalog behind this process's change, so the next click on
    // either layer takes the path that waits for it to catch up.
    const newOffer = () =>
      t.request('POST', '/api/v1/offers', {
        body: {
          advertiser_id: advertiserId,
          name: 'New',
          destination_url: DESTINATION,
          revenue: '1',
          payout: '1',
        },
      })
    const first = (await newOffer()).body.id
    const raw = await fetch(`${t.url}/c/${first}?aff_id=${affiliateId}&sub1=raw`, {
      redirect: 'manual',
    })
    const second = (await newOffer()).body.id
    const routed = await t.server.app.inject({
      url: `/c/${second}?aff_id=${affiliateId}&sub1=routed`,
    })
    expect(raw.status).toBe(302)
    expect(routed.statusCode).toBe(302)
    const rawLocation = raw.headers.get('location')
    const routedLocation = routed.headers.location?.toString() ?? null
    expect(withoutClickId(rawLocation)?.replace('s1=raw', 's1=…')).toBe(
      withoutClickId(routedLocation)?.replace('s1=routed', 's1=…'),
    )
    expect(await storedClick(t, clickIdOf(rawLocation))).toMatchObject({ sub1: 'raw' })
    expect(await storedClick(t, clickIdOf(routedLocation))).toMatchObject({ sub1: 'routed' })
  })

  it('stores the click it redirects, and counts the answers in the HTTP metrics', async () => {
    const res = await fetch(`${t.url}/c/${offerId}?aff_id=${affiliateId}&sub1=metered`, {
      redirect: 'manual',
    })
    expect(res.status).toBe(302)
    expect(await storedClick(t, clickIdOf(res.headers.get('location')))).toMatchObject({
      sub1: 'metered',
    })
    await fetch(`${t.url}/c/${offerId}`, { redirect: 'manual' })
    const metrics = await t.request('GET', '/metrics')
    expect(metrics.body).toContain(
      'backtrack_http_requests_total{method="GET",route="/c/:offer_id",status="302"} 1',
    )
    expect(metrics.body).toContain(
      'backtrack_http_requests_total{method="GET",route="/c/:offer_id",status="400"} 1',
    )
    expect(metrics.body).toContain(
      'backtrack_http_request_duration_seconds_count{method="GET",route="/c/:offer_id"} 2',
    )
  })
})

// The same request through the raw listener (on the test server's port) and through the route.
async function expectSameAnswers(
  t: TestServer,
  method: 'GET' | 'HEAD',
  path: string,
  label: string,
) {
  const raw = await fetch(t.url + path, { method, redirect: 'manual' })
  const routed = await t.server.app.inject({ method, url: path })
  expect(raw.status, label).toBe(routed.statusCode)
  for (const name of ['cache-control', 'content-type', 'content-length', 'set-cookie']) {
    expect(raw.headers.get(name) ?? undefined, `${label} ${name}`).toBe(
      routed.headers[name]?.toString(),
    )
  }
  expect(await raw.text(), label).toBe(routed.body)
  expect(withoutClickId(raw.headers.get('location')), label).toBe(
    withoutClickId(routed.headers.location?.toString() ?? null),
  )
}

function withoutClickId(location: string | null): string | null {
  return location?.replace(/cid=[A-Za-z0-9_-]+/, 'cid=…') ?? null
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}
