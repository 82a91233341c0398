import { afterEach, beforeEach, expect, it } from 'vitest'
import { decodeClickId, loadClickSecret } from '../../src/clicks/index.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { clickIdOf, storedClick, visit } from './stored-click.ts'

const ALL_MACROS =
  'https://shop.example/land?cid={click_id}&o={offer_id}&a={affiliate_id}&s1={sub1}&s2={sub2}' +
  '&s3={sub3}&s4={sub4}&s5={sub5}&src={source}&cc={country}&ip={ip}&ts={timestamp}'

describeEachEngine('tracking links', (engine) => {
  let t: TestServer
  let offerId: string
  let affiliateId: string
  beforeEach(async () => {
    t = await startTestServer(engine)
    const catalog = await createCatalog(t, { destination_url: ALL_MACROS })
    offerId = catalog.offer.id
    affiliateId = catalog.affiliate.id
  })
  afterEach(() => t.close())

  it('redirects with every macro filled, no-store, no cookie, and stores the click', async () => {
    const before = Date.now()
    const res = await visit(
      t,
      `/c/${offerId}?aff_id=${affiliateId}&sub1=a&sub2=b%20c&sub3=%C3%A9&sub4=&source=fb`,
      { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' },
    )
    expect(res.status).toBe(302)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('set-cookie')).toBeNull()
    const location = new URL(res.headers.get('location')!)
    const clickId = clickIdOf(location.href)
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      o: offerId,
      a: affiliateId,
      s1: 'a',
      s2: 'b c',
      s3: 'é',
      s4: '',
      s5: '',
      src: 'fb',
      cc: '',
      ip: '127.0.0.1',
    })
    const timestamp = Number(location.searchParams.get('ts'))
    expect(timestamp).toBeGreaterThanOrEqual(Math.floor(before / 1000))
    expect(timestamp).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000))

    const secret = await loadClickSecret(t.server.database.db)
    expect(decodeClickId(secret, clickId)).toMatchObject({
      offerId: Number(offerId),
      affiliateId: Number(affiliateId),
    })
    expect(await storedClick(t, clickId)).toMatchObject({
      clickId,
      offerId: Number(offerId),
      affiliateId: Number(affiliateId),
      sub1: 'a',
      sub2: 'b c',
      sub3: 'é',
      sub4: null,
      sub5: null,
      source: 'fb',
      ip: '127.0.0.1',
      country: null,
      deviceType: 'desktop',
      os: 'Linux',
      browser: 'Firefox',
      isBot: false,
      isUnique: true,
    })
  })

  it('encodes hostile sub ids in the Location and stores them as given', async () => {
    const hostile = {
      sub1: 'x\r\nSet-Cookie: stolen=1',
      sub2: '"><script>alert(1)</script>\'',
      sub3: '😀 ünïcödé 中文',
      sub4: '&cid=forged#frag',
      sub5: 'a\u0000b',
    }
    const query = new URLSearchParams({ aff_id: affiliateId, ...hostile })
    const res = await visit(t, `/c/${offerId}?${query}`)
    expect(res.status).toBe(302)
    expect(res.headers.get('set-cookie')).toBeNull()
    const raw = res.headers.get('location')!
    expect(raw).toMatch(/^[\x21-\x7e]+$/)
    const location = new URL(raw)
    expect(location.searchParams.getAll('cid')).toHaveLength(1)
    expect(location.hash).toBe('')
    expect(location.searchParams.get('s1')).toBe(hostile.sub1)
    expect(location.searchParams.get('s2')).toBe(hostile.sub2)
    expect(location.searchParams.get('s3')).toBe(hostile.sub3)
    expect(location.searchParams.get('s4')).toBe(hostile.sub4)
    const click = await storedClick(t, clickIdOf(raw))
    expect(click).toMatchObject({
      sub1: hostile.sub1,
      sub2: hostile.sub2,
      sub3: hostile.sub3,
      sub4: hostile.sub4,
      // PostgreSQL text cannot hold NUL, so it is stored as U+FFFD on both engines.
      sub5: 'a\uFFFDb',
    })
  })

  it('stores sub ids up to 500 characters and cuts longer ones', async () => {
    const long = 'ü'.repeat(600)
    const exact = 'x'.repeat(500)
    const res = await visit(
      t,
      `/c/${offerId}?aff_id=${affiliateId}&sub1=${encodeURIComponent(long)}&sub2=${exact}`,
    )
    expect(res.status).toBe(302)
    const click = await storedClick(t, clickIdOf(res.headers.get('location')))
    expect(click.sub1).toBe('ü'.repeat(500))
    expect(click.sub2).toBe(exact)
  })

  it('takes the first value of a repeated parameter', async () => {
    const res = await visit(t, `/c/${offerId}?aff_id=${affiliateId}&aff_id=999&sub1=a&sub1=b`)
    expect(res.status).toBe(302)
    const click = await storedClick(t, clickIdOf(res.headers.get('location')))
    expect(click).toMatchObject({ affiliateId: Number(affiliateId), sub1: 'a' })
  })

  it('answers 400 without aff_id', async () => {
    for (const query of ['', '?aff_id=', '?sub1=x']) {
      const res = await t.request('GET', `/c/${offerId}${query}`, { key: null })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
      expect(res.headers.get('location')).toBeNull()
    }
  })

  it('answers 414 to a query string over 8 kB, and never 5xx for long sub ids', async () => {
    const tooLong = await visit(t, `/c/${offerId}?aff_id=${affiliateId}&sub1=${'a'.repeat(8200)}`)
    expect(tooLong.status).toBe(414)
    expect(tooLong.headers.get('location')).toBeNull()
    const tenKb = await visit(
      t,
      `/c/${offerId}?aff_id=${affiliateId}&sub1=${'%E4%B8%AD'.repeat(1200)}`,
    )
    expect(tenKb.status).toBe(414)
    const huge = await visit(t, `/c/${offerId}?aff_id=${affiliateId}&sub1=${'a'.repeat(20_000)}`)
    expect(huge.status).toBeGreaterThanOrEqual(400)
    expect(huge.status).toBeLessThan(500)
  })

  it('answers 404 with a short plain message to unknown and hostile offer ids', async () => {
    for (const path of [
      '/c/999999',
      '/c/0',
      '/c/-1',
      '/c/abc',
      '/c/1e3',
      '/c/99999999999999999999999',
      `/c/${offerId}%0d%0aSet-Cookie:%20x`,
      '/c/%27%20or%201=1--',
    ]) {
      const res = await visit(t, `${path}?aff_id=${affiliateId}`)
      expect(res.status, path).toBe(404)
      expect(res.headers.get('location')).toBeNull()
      expect(res.headers.get('set-cookie')).toBeNull()
    }
    // Fastify refuses path parameters over 100 characters before routing.
    expect((await visit(t, `/c/${'9'.repeat(200)}?aff_id=${affiliateId}`)).status).toBe(414)
    const res = await visit(t, `/c/999999?aff_id=${affiliateId}`)
    expect(res.headers.get('content-type')).toContain('text/plain')
    expect(await res.text()).toBe('offer not found\n')
  })

  it('answers 404 for an unknown, paused or hostile affiliate, and for a paused offer', async () => {
    for (const aff of ['999999', 'abc', '1%0d%0aX:%20y', '-1', `${affiliateId}.0`]) {
      const res = await visit(t, `/c/${offerId}?aff_id=${aff}`)
      expect(res.status, aff).toBe(404)
      expect(await res.text()).toBe('affiliate not found\n')
    }
    const paused = await t.request('PATCH', `/api/v1/affiliates/${affiliateId}`, {
      body: { status: 'paused' },
    })
    expect(paused.status).toBe(200)
    expect((await visit(t, `/c/${offerId}?aff_id=${affiliateId}`)).status).toBe(404)

    await t.request('PATCH', `/api/v1/affiliates/${affiliateId}`, { body: { status: 'active' } })
    expect((await visit(t, `/c/${offerId}?aff_id=${affiliateId}`)).status).toBe(302)
    await t.request('PATCH', `/api/v1/offers/${offerId}`, { body: { status: 'paused' } })
    const pausedOffer = await visit(t, `/c/${offerId}?aff_id=${affiliateId}`)
    expect(pausedOffer.status).toBe(404)
    expect(await pausedOffer.text()).toBe('offer paused\n')
  })

  it('sends a paused offer or unknown affiliate to the fallback URL, recording no click', async () => {
    const fallback =
      'https://shop.example/fallback?o={offer_id}&a={affiliate_id}&s1={sub1}&cid={click_id}'
    await t.request('PATCH', `/api/v1/offers/${offerId}`, { body: { fallback_url: fallback } })
    const unknownAffiliate = await visit(t, `/c/${offerId}?aff_id=abc%26x&sub1=q`)
    expect(unknownAffiliate.status).toBe(302)
    expect(unknownAffiliate.headers.get('cache-control')).toBe('no-store')
    expect(unknownAffiliate.headers.get('location')).toBe(
      `https://shop.example/fallback?o=${offerId}&a=abc%26x&s1=q&cid=`,
    )
    await t.request('PATCH', `/api/v1/offers/${offerId}`, { body: { status: 'paused' } })
    const paused = await visit(t, `/c/${offerId}?aff_id=${affiliateId}`)
    expect(paused.status).toBe(302)
    expect(paused.headers.get('location')).toMatch(/^https:\/\/shop\.example\/fallback\?/)
    const count = await t.server.database.db
      .selectFrom('clicks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(0)
  })

  it('answers HEAD like GET but records no click', async () => {
    const res = await fetch(`${t.url}/c/${offerId}?aff_id=${affiliateId}&sub1=x`, {
      method: 'HEAD',
      redirect: 'manual',
    })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toMatch(/^https:\/\/shop\.example\/land\?cid=&o=/)
    const get = await visit(t, `/c/${offerId}?aff_id=${affiliateId}`)
    await storedClick(t, clickIdOf(get.headers.get('location')))
    const count = await t.server.database.db
      .selectFrom('clicks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(1)
  })

  it('sees a new offer and affiliate at once', async () => {
    const { offer, affiliate } = await createCatalog(t)
    const res = await visit(t, `/c/${offer.id}?aff_id=${affiliate.id}`)
    expect(res.status).toBe(302)
  })

  it('percent-encodes a non-ASCII destination so the Location is a valid header', async () => {
    await t.request('PATCH', `/api/v1/offers/${offerId}`, {
      body: { destination_url: 'https://shop.example/chaussures/été?cid={click_id}' },
    })
    const res = await visit(t, `/c/${offerId}?aff_id=${affiliateId}`)
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toMatch(
      /^https:\/\/shop\.example\/chaussures\/%C3%A9t%C3%A9\?cid=[A-Za-z0-9_-]+$/,
    )
  })
})
