import { afterEach, beforeEach, expect, it } from 'vitest'
import { ROUTE_ROLES } from '../../src/access/route-roles.ts'
import { click, postbackGet } from '../conversions/postback-helpers.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { type HttpResult, startTestServer, type TestServer } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'

// Every text that belongs to affiliate B alone: none may reach affiliate A, by any route.
const B_MARK = 'b-only'

interface Probe {
  method: string
  path: string
  body?: unknown
}

/** Whether a JSON answer names affiliate `id` anywhere, or holds B's marked texts. */
function leaks(result: HttpResult, affiliateId: string): string | undefined {
  const text = typeof result.body === 'string' ? result.body : JSON.stringify(result.body)
  if (text.includes(B_MARK)) return `text with "${B_MARK}"`
  const walk = (value: unknown): string | undefined => {
    if (Array.isArray(value)) return value.map(walk).find(Boolean)
    if (value && typeof value === 'object') {
      for (const [field, inner] of Object.entries(value)) {
        if (field === 'affiliate_id' && inner === affiliateId) return 'affiliate_id of B'
        const found = walk(inner)
        if (found) return found
      }
    }
    return undefined
  }
  return walk(result.body)
}

describeEachEngine('an affiliate sees nothing of another affiliate', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine)
  })
  afterEach(() => t.close())

  it('on every route it may call: by id, filter, report group, CSV and live feed', async () => {
    const {
      advertiser,
      offer,
      affiliate: a,
    } = await createCatalog(t, {
      goals: [{ key: 'sale', revenue: 5, payout: 3 }],
    })
    const token = advertiser.postback_token as string
    const b = (await t.request('POST', '/api/v1/affiliates', { body: { name: `${B_MARK} B` } }))
      .body
    const aKey = a.api_key as string
    const bKey = b.api_key as string
    const newOffer = async (name: string, visibility: string) =>
      (
        await t.request('POST', '/api/v1/offers', {
          body: {
            advertiser_id: advertiser.id,
            name,
            destination_url: 'https://shop.example/?cid={click_id}',
            revenue: 2,
            payout: 1,
            visibility,
          },
        })
      ).body
    const approval = await newOffer('Approval offer', 'approval')
    const secret = await newOffer(`${B_MARK} private offer`, 'private')
    await t.request('PUT', `/api/v1/offers/${secret.id}/affiliates/${b.id}`)
    const request = await t.request('POST', `/api/v1/offers/${approval.id}/access-requests`, {
      key: bKey,
      body: { note: `${B_MARK} note` },
    })
    await t.request('PATCH', `/api/v1/access-requests/${request.body.id}`, {
      body: { state: 'approved', note: `${B_MARK} welcome` },
    })
    // B's own payout on the offer A runs too: A must still see the offer's
    await t.request('PUT', `/api/v1/offers/${offer.id}/payouts/${b.id}`, {
      body: { payout: '9.99' },
    })
    const endpoint = async (key: string, affiliateId: string, host: string) =>
      (
        await t.request('POST', '/api/v1/postbacks', {
          key,
          body: { affiliate_id: affiliateId, url: `https://${host}.example/pb?c={click_id}` },
        })
      ).body
    await endpoint(aKey, a.id, 'a-own')
    const bEndpoint = await endpoint(bKey, b.id, B_MARK)
    const bKeyRow = (
      await t.request('POST', '/api/v1/api-keys', { key: bKey, body: { name: `${B_MARK} key` } })
    ).body

    // A live feed for A, open before any traffic
    const live = openLive(t.url, aKey)
    await live.ready

    const aClick = await click(t, offer.id, a.id, { sub1: 'a-sub', source: 'a-src' })
    const bClick = await click(t, offer.id, b.id, {
      sub1: `${B_MARK}-sub`,
      source: `${B_MARK}-src`,
    })
    await click(t, secret.id, b.id, { sub1: `${B_MARK}-sub2` })
    expect((await postbackGet(t, { click_id: bClick, token, txid: `${B_MARK}-tx` })).status).toBe(
      200,
    )
    expect((await postbackGet(t, { click_id: aClick, token, txid: 'a-tx' })).status).toBe(200)
    const bConversion = (await t.request('GET', `/api/v1/conversions?affiliate_id=${b.id}`)).body
      .data[0]
    expect(bConversion.payout).toBe(9.99)
    const bDelivery = await waitFor(
      async () =>
        (await t.request('GET', `/api/v1/deliveries?postback_id=${bEndpoint.id}`)).body.data[0],
      { message: "B's delivery" },
    )
    // A's own conversion is the last event: once A's feed has it, B's came before (or never)
    await waitFor(
      () => live.messages.some((m) => m.includes('"conversion_id"') || m.includes('a-tx')),
      {
        message: "A's conversion on its live feed",
      },
    )
    live.close()

    // Both affiliates' clicks are in the click log before it is probed (the writer stores them
    // a few milliseconds after the redirect)
    await waitFor(
      async () => {
        const all = (await t.request('GET', '/api/v1/clicks')).body.data
        const ids = all.map((c: { click_id: string }) => c.click_id)
        return ids.includes(aClick) && ids.includes(bClick)
      },
      { message: 'both clicks in the click log' },
    )

    const probes: Record<string, Probe[]> = {
      'GET /api/v1/offers': [
        { method: 'GET', path: '/api/v1/offers' },
        { method: 'GET', path: '/api/v1/offers?visibility=private' },
      ],
      'GET /api/v1/offers/:id': [
        { method: 'GET', path: `/api/v1/offers/${secret.id}` },
        { method: 'GET', path: `/api/v1/offers/${offer.id}` },
      ],
      'POST /api/v1/offers/:id/access-requests': [
        { method: 'POST', path: `/api/v1/offers/${secret.id}/access-requests`, body: {} },
      ],
      'GET /api/v1/access-requests': [
        { method: 'GET', path: '/api/v1/access-requests' },
        { method: 'GET', path: `/api/v1/access-requests?affiliate_id=${b.id}` },
        { method: 'GET', path: `/api/v1/access-requests?offer_id=${approval.id}` },
      ],
      'GET /api/v1/affiliates': [{ method: 'GET', path: '/api/v1/affiliates' }],
      'GET /api/v1/affiliates/:id': [{ method: 'GET', path: `/api/v1/affiliates/${b.id}` }],
      'POST /api/v1/postbacks': [
        {
          method: 'POST',
          path: '/api/v1/postbacks',
          body: { affiliate_id: b.id, url: 'https://x.example/' },
        },
      ],
      'GET /api/v1/postbacks': [
        { method: 'GET', path: '/api/v1/postbacks' },
        { method: 'GET', path: `/api/v1/postbacks?affiliate_id=${b.id}` },
      ],
      'GET /api/v1/postbacks/:id': [{ method: 'GET', path: `/api/v1/postbacks/${bEndpoint.id}` }],
      'PATCH /api/v1/postbacks/:id': [
        {
          method: 'PATCH',
          path: `/api/v1/postbacks/${bEndpoint.id}`,
          body: { url: 'https://x.example/' },
        },
      ],
      'DELETE /api/v1/postbacks/:id': [
        { method: 'DELETE', path: `/api/v1/postbacks/${bEndpoint.id}` },
      ],
      'POST /api/v1/postbacks/:id/test': [
        { method: 'POST', path: `/api/v1/postbacks/${bEndpoint.id}/test`, body: {} },
      ],
      'GET /api/v1/deliveries': [
        { method: 'GET', path: '/api/v1/deliveries' },
        { method: 'GET', path: `/api/v1/deliveries?postback_id=${bEndpoint.id}` },
        { method: 'GET', path: `/api/v1/deliveries?conversion_id=${bConversion.id}` },
      ],
      'POST /api/v1/deliveries/retry': [
        { method: 'POST', path: '/api/v1/deliveries/retry', body: { postback_id: bEndpoint.id } },
      ],
      'POST /api/v1/deliveries/:id/retry': [
        { method: 'POST', path: `/api/v1/deliveries/${bDelivery.id}/retry`, body: {} },
      ],
      'GET /api/v1/clicks/:click_id': [{ method: 'GET', path: `/api/v1/clicks/${bClick}` }],
      'GET /api/v1/clicks': [
        { method: 'GET', path: '/api/v1/clicks' },
        { method: 'GET', path: `/api/v1/clicks?affiliate_id=${b.id}` },
        { method: 'GET', path: `/api/v1/clicks?sub1=${B_MARK}-sub` },
        { method: 'GET', path: `/api/v1/clicks?offer_id=${secret.id}` },
      ],
      'GET /api/v1/conversions': [
        { method: 'GET', path: '/api/v1/conversions' },
        { method: 'GET', path: `/api/v1/conversions?affiliate_id=${b.id}` },
        { method: 'GET', path: `/api/v1/conversions?offer_id=${secret.id}` },
      ],
      'GET /api/v1/conversions/:id': [
        { method: 'GET', path: `/api/v1/conversions/${bConversion.id}` },
      ],
      'GET /api/v1/reports': [
        'affiliate_id',
        'sub1',
        'source',
        'offer_id',
        'day,offer_id,affiliate_id,sub1,source',
      ].flatMap((groups) => [
        { method: 'GET', path: `/api/v1/reports?group_by=${groups}` },
        { method: 'GET', path: `/api/v1/reports?group_by=${groups}&affiliate_id=${b.id}` },
        { method: 'GET', path: `/api/v1/reports?group_by=${groups}&format=csv` },
      ]),
      'GET /api/v1/me': [{ method: 'GET', path: '/api/v1/me' }],
      'GET /api/v1/api-keys': [{ method: 'GET', path: '/api/v1/api-keys' }],
      'DELETE /api/v1/api-keys/:id': [{ method: 'DELETE', path: `/api/v1/api-keys/${bKeyRow.id}` }],
      'POST /api/v1/api-keys': [
        { method: 'POST', path: '/api/v1/api-keys', body: { name: 'a key' } },
      ],
    }
    // Routes with nothing of anyone else to name: they act on the caller itself or on no one.
    const selfOnly = new Set([
      'GET /api/v1/live', // walked above, on a real stream
      'POST /api/v1/me/password',
      'POST /api/v1/me/totp',
      'POST /api/v1/me/totp/confirm',
      'DELETE /api/v1/me/totp',
    ])
    // The detector itself finds B in what the network's people see
    expect(leaks(await t.request('GET', '/api/v1/conversions'), b.id)).toBeDefined()
    expect(
      leaks(await t.request('GET', '/api/v1/reports?group_by=sub1&format=csv'), b.id),
    ).toBeDefined()

    const affiliateRoutes = Object.entries(ROUTE_ROLES)
      .filter(
        ([, access]) =>
          access.roles === 'any' ||
          (Array.isArray(access.roles) && access.roles.includes('affiliate')),
      )
      .map(([route]) => route)
    expect(
      affiliateRoutes.filter((route) => !(route in probes) && !selfOnly.has(route)),
      'routes an affiliate may call that this test does not walk',
    ).toEqual([])

    for (const [route, list] of Object.entries(probes)) {
      for (const probe of list) {
        const result = await t.request(probe.method, probe.path, { key: aKey, body: probe.body })
        expect(result.status, `${route}: ${probe.method} ${probe.path}`).toBeLessThan(500)
        expect(leaks(result, b.id), `${route}: ${probe.method} ${probe.path}`).toBeUndefined()
      }
    }

    // The click log is not empty for A (once the click writer has stored its click): the probes
    // above could have found its clicks, and leave out B's
    const aClicks = await waitFor(
      async () => {
        const page = await t.request('GET', '/api/v1/clicks', { key: aKey })
        return page.body.data.length > 0 ? page.body.data : undefined
      },
      { message: "A's click in its click log" },
    )
    expect(aClicks.map((c: { click_id: string }) => c.click_id)).toEqual([aClick])

    // What A tried on B's things changed nothing
    expect((await t.request('GET', `/api/v1/postbacks/${bEndpoint.id}`)).body.url).toContain(B_MARK)
    const bKeys = await t.request('GET', '/api/v1/api-keys', { key: bKey })
    expect(bKeys.body.data.map((k: { id: string }) => k.id)).toContain(bKeyRow.id)
    const offerForA = await t.request('GET', `/api/v1/offers/${offer.id}`, { key: aKey })
    expect(offerForA.body.payout).toBe(1.75)

    expect(live.messages.some((m) => m.includes('a-sub'))).toBe(true)
    for (const message of live.messages) {
      expect(message).not.toContain(B_MARK)
      expect(message).not.toContain(bClick)
      expect(message).not.toMatch(new RegExp(`"affiliate_id":"?${b.id}"?[,}]`))
    }
  })
})

/** A live feed read over real HTTP: each SSE data line as text. */
function openLive(url: string, key: string) {
  const controller = new AbortController()
  const messages: string[] = []
  let opened: () => void = () => {}
  const ready = new Promise<void>((resolve) => {
    opened = resolve
  })
  const done = (async () => {
    const response = await fetch(`${url}/api/v1/live`, {
      headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
      signal: controller.signal,
    })
    opened()
    const decoder = new TextDecoder()
    try {
      for await (const chunk of response.body!) {
        for (const line of decoder.decode(chunk, { stream: true }).split('\n')) {
          if (line.startsWith('data: ')) messages.push(line.slice(6))
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error
    }
  })()
  return {
    messages,
    ready,
    close: () => {
      controller.abort()
      return done
    },
  }
}
