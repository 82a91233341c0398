import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { ensureWebBuilt } from '../../web/tools/build-web.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/test-server.ts'
import {
  type Browser,
  field,
  inspect,
  openBrowser,
  openFromNavigation,
  screenshot,
} from './browser.ts'

beforeAll(() => ensureWebBuilt(), 180_000)

describeEachEngine('the network console', (engine) => {
  let t: TestServer
  let browser: Browser
  beforeAll(async () => {
    t = await startTestServer(engine)
    browser = await openBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('signs in, builds a campaign through the forms, and shows its conversion without reload', async () => {
    const { page } = browser
    const name = (page: string) => `${engine}-${page}`
    // What the browser showed when a step timed out, to look at beside the error.
    onTestFailed(() => screenshot(page, name('failure')))

    // Signed out, any page leads to sign-in; email sign-in errors are shown in words.
    await page.goto(`${t.url}/conversions`)
    await page.getByRole('heading', { name: 'Sign in to Backtrack' }).waitFor()
    await field(page, 'Email').fill('admin@example.test')
    await field(page, 'Password').fill('not-the-password')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    const refusal = page.getByRole('alert')
    await refusal.waitFor()
    expect((await refusal.textContent())?.trim()).not.toBe('')
    await inspect(page, name('sign-in'))

    // Until accounts land, the admin key signs in; it brings the visitor back where they were.
    await page.getByRole('button', { name: 'Sign in with an API key (advanced)' }).click()
    await field(page, 'API key').fill(TEST_ADMIN_KEY)
    await page.getByRole('button', { name: 'Sign in with key' }).click()
    await page.getByRole('heading', { name: 'Conversions', level: 1 }).waitFor()
    await page.getByText('No conversions yet').waitFor()
    await inspect(page, name('conversions-empty'))

    // The dashboard, from a fresh navigation to its heading and first totals.
    const started = performance.now()
    await page.goto(`${t.url}/`)
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor()
    await page
      .getByRole('region', { name: 'Today' })
      .getByText(/^\d+ clicks?$/)
      .waitFor()
    const usableMs = Math.round(performance.now() - started)
    console.log(`[${engine}] dashboard usable in ${usableMs} ms (navigation to heading + totals)`)
    // The goal is 1 s; a loaded CI machine (two cores shared by the whole suite) gets slack.
    expect(usableMs).toBeLessThan(5000)
    await inspect(page, name('dashboard-empty'))

    // An advertiser.
    await openFromNavigation(page, 'Advertisers')
    await page.getByText('No advertisers yet').waitFor()
    await inspect(page, name('advertisers-empty'))
    await page.getByRole('link', { name: 'New advertiser' }).click()
    await field(page, 'Name').fill('Acme Shoes')
    await page.getByRole('button', { name: 'Create advertiser' }).click()
    await page.getByRole('heading', { name: 'Edit advertiser' }).waitFor()
    const advertiserId = /\/advertisers\/(\d+)$/.exec(page.url())?.[1]
    expect(advertiserId).toBeDefined()
    await inspect(page, name('advertiser-edit'))
    await openFromNavigation(page, 'Advertisers')
    await page.getByRole('link', { name: 'Acme Shoes' }).waitFor()
    await inspect(page, name('advertisers'))

    // An offer: the API's validation details land on the field they name.
    await openFromNavigation(page, 'Offers')
    await page.getByText('No offers yet').waitFor()
    await inspect(page, name('offers-empty'))
    await page.getByRole('link', { name: 'New offer' }).click()
    await page.getByRole('combobox', { name: 'Advertiser' }).click()
    await page.getByRole('option', { name: 'Acme Shoes' }).click()
    await field(page, 'Name').fill('Running shoes')
    await field(page, 'Destination URL').fill('ftp://shop.example/landing')
    await field(page, 'Revenue').fill('2.50')
    await field(page, 'Payout').fill('1.75')
    await page.getByRole('button', { name: 'Add goal' }).click()
    const goal = page.getByRole('group', { name: 'Goal 1' })
    await field(goal, 'Key').fill('big sale!')
    await field(goal, 'Goal revenue').fill('10')
    await field(goal, 'Goal payout').fill('5')
    await page.getByRole('button', { name: 'Create offer' }).click()
    // A goal's key is checked by the schema, before the URL: its error lands in its fieldset.
    await goal.getByText(/must match pattern/).waitFor()
    expect(await field(goal, 'Key').getAttribute('aria-invalid')).toBe('true')
    await field(goal, 'Key').fill('sale')
    await page.getByRole('button', { name: 'Create offer' }).click()
    const destination = field(page, 'Destination URL')
    await page.getByText('is not an absolute http(s) URL').waitFor()
    expect(await destination.getAttribute('aria-invalid')).toBe('true')
    await inspect(page, name('offer-invalid'))
    // The landing page is the server's own health check, so the browser can follow the link.
    await destination.fill(`${t.url}/healthz?click={click_id}`)
    await page.getByRole('button', { name: 'Create offer' }).click()
    await page.getByRole('heading', { name: 'Edit offer' }).waitFor()
    const offerId = /\/offers\/(\d+)$/.exec(page.url())?.[1]
    expect(offerId).toBeDefined()
    await openFromNavigation(page, 'Offers')
    await page.getByRole('link', { name: 'Running shoes' }).waitFor()
    await inspect(page, name('offers'))

    // An affiliate, whose key is shown once.
    await openFromNavigation(page, 'Affiliates')
    await page.getByText('No affiliates yet').waitFor()
    await inspect(page, name('affiliates-empty'))
    await page.getByRole('link', { name: 'New affiliate' }).click()
    await field(page, 'Name').fill('Best Deals Media')
    await page.getByRole('button', { name: 'Create affiliate' }).click()
    const created = page.getByRole('status').filter({ hasText: 'Affiliate created' })
    await created.waitFor()
    const affiliateId = /Affiliate id (\d+)/.exec((await created.textContent()) ?? '')?.[1]
    expect(affiliateId).toBeDefined()
    await inspect(page, name('affiliate-created'))

    // A visitor opens the tracking link in a tab of their own and lands with a click id.
    const visitor = await browser.context.newPage()
    await visitor.goto(`${t.url}/c/${offerId}?aff_id=${affiliateId}&sub1=spring`)
    const clickId = new URL(visitor.url()).searchParams.get('click')
    expect(clickId).toMatch(/^[\w-]{10,40}$/)
    await visitor.close()

    // The conversions list is open; the advertiser's postback arrives; the row appears.
    await openFromNavigation(page, 'Conversions')
    await page.getByText('No conversions yet').waitFor()
    await page.evaluate(() => {
      ;(globalThis as { notReloaded?: boolean }).notReloaded = true
    })
    const advertiser = await t.request('GET', `/api/v1/advertisers/${advertiserId}`)
    const postback = await fetch(
      `${t.url}/postback?click_id=${clickId}&txid=ORDER-1001&amount=80&token=${advertiser.body.postback_token}`,
    )
    expect(((await postback.json()) as { result: string }).result).toBe('accepted')
    await page.getByRole('cell', { name: 'ORDER-1001' }).waitFor({ timeout: 15_000 })
    expect(await page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    )
    await inspect(page, name('conversions'))

    // The dashboard counts them, and the remaining pages open.
    await openFromNavigation(page, 'Dashboard')
    await page
      .getByRole('region', { name: 'Today' })
      .getByText('1 click', { exact: true })
      .waitFor()
    await inspect(page, name('dashboard'))

    // The other pages: a click looked up by its id, the report, the postback log, deliveries.
    await openFromNavigation(page, 'Clicks')
    await field(page, 'Click id').fill(clickId!)
    await page.getByRole('button', { name: 'Open click' }).click()
    await page.getByRole('cell', { name: 'sub1=spring' }).waitFor()
    await inspect(page, name('clicks'))
    await openFromNavigation(page, 'Reports')
    await page.getByRole('columnheader', { name: 'clicks', exact: true }).waitFor()
    await inspect(page, name('reports'))
    await openFromNavigation(page, 'Postback log')
    await page.getByRole('cell', { name: 'accepted' }).waitFor()
    await inspect(page, name('postback-log'))
    await openFromNavigation(page, 'Deliveries')
    await page.getByText('No deliveries yet').waitFor()
    await inspect(page, name('deliveries'))
  }, 180_000)
})

describe('the console without a browser session', () => {
  it('is what / serves', async () => {
    const t = await startTestServer('sqlite')
    try {
      const res = await t.request('GET', '/', { key: null, headers: { accept: 'text/html' } })
      expect(res.body).toContain('<div id="root">')
    } finally {
      await t.close()
    }
  })
})
