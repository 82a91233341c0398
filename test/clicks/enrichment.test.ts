import { afterEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { clickIdOf, storedClick, visit } from './stored-click.ts'

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1'
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'

describeEachEngine('click enrichment', (engine) => {
  let t: TestServer
  afterEach(() => t.close())

  async function click(path: string, headers: Record<string, string> = {}) {
    const res = await visit(t, path, headers)
    expect(res.status).toBe(302)
    const location = res.headers.get('location')
    return { location: new URL(location!), click: await storedClick(t, clickIdOf(location)) }
  }

  it('takes the visitor IP from X-Forwarded-For only behind a trusted proxy, and finds its country', async () => {
    t = await startTestServer(engine, { BACKTRACK_TRUST_PROXY: '127.0.0.1' })
    const { offer, affiliate } = await createCatalog(t, {
      destination_url: 'https://shop.example/?cid={click_id}&cc={country}&ip={ip}',
    })
    const proxied = await click(`/c/${offer.id}?aff_id=${affiliate.id}`, {
      'x-forwarded-for': '81.2.69.160',
    })
    expect(proxied.click).toMatchObject({ ip: '81.2.69.160', country: 'GB' })
    expect(proxied.location.searchParams.get('cc')).toBe('GB')
    expect(proxied.location.searchParams.get('ip')).toBe('81.2.69.160')
    const v6 = await click(`/c/${offer.id}?aff_id=${affiliate.id}`, {
      'x-forwarded-for': '2001:4860:4860::8888',
    })
    expect(v6.click).toMatchObject({ ip: '2001:4860:4860::8888', country: 'US' })
  })

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    t = await startTestServer(engine)
    const { offer, affiliate } = await createCatalog(t)
    const direct = await click(`/c/${offer.id}?aff_id=${affiliate.id}`, {
      'x-forwarded-for': '81.2.69.160',
    })
    expect(direct.click).toMatchObject({ ip: '127.0.0.1', country: null })
  })

  it('parses device, OS and browser, and flags bots and requests without a user agent', async () => {
    t = await startTestServer(engine)
    const { offer, affiliate } = await createCatalog(t)
    const path = `/c/${offer.id}?aff_id=${affiliate.id}`
    const phone = await click(path, { 'user-agent': IPHONE, referer: 'https://news.example/a' })
    expect(phone.click).toMatchObject({
      deviceType: 'mobile',
      os: 'iOS',
      browser: 'Mobile Safari',
      isBot: false,
      userAgent: IPHONE,
      referrer: 'https://news.example/a',
    })
    expect((await click(path, { 'user-agent': GOOGLEBOT })).click.isBot).toBe(true)
    expect((await click(path, { 'user-agent': '' })).click).toMatchObject({
      isBot: true,
      userAgent: null,
    })
  })

  it('marks only the first click of an IP and user agent on an offer in 24 h as unique', async () => {
    t = await startTestServer(engine)
    const { offer, affiliate } = await createCatalog(t)
    const other = await createCatalog(t)
    const path = `/c/${offer.id}?aff_id=${affiliate.id}`
    expect((await click(path, { 'user-agent': IPHONE })).click.isUnique).toBe(true)
    expect((await click(path, { 'user-agent': IPHONE })).click.isUnique).toBe(false)
    expect((await click(`${path}&sub1=other`, { 'user-agent': IPHONE })).click.isUnique).toBe(false)
    expect((await click(path, { 'user-agent': GOOGLEBOT })).click.isUnique).toBe(true)
    const otherOffer = `/c/${other.offer.id}?aff_id=${affiliate.id}`
    expect((await click(otherOffer, { 'user-agent': IPHONE })).click.isUnique).toBe(true)
  })
})
