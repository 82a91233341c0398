import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest'
import { ensureWebBuilt } from '../../web/tools/build-web.ts'
import { invite, PASSWORD } from '../access/people.ts'
import { type Receiver, startReceiver } from '../delivery/receiver.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'
import {
  type Browser,
  field,
  inspect,
  openBrowser,
  openFromNavigation,
  screenshot,
} from './browser.ts'

beforeAll(() => ensureWebBuilt(), 180_000)

describeEachEngine('the affiliate portal', (engine) => {
  let t: TestServer
  let receiver: Receiver
  let affiliateBrowser: Browser
  let managerBrowser: Browser
  const name = (page: string) => `${engine}-portal-${page}`
  beforeAll(async () => {
    t = await startTestServer(engine, {
      BACKTRACK_ALLOW_PRIVATE_TARGETS: '1',
      BACKTRACK_RETRY_SCHEDULE: '200ms,500ms',
    })
    receiver = await startReceiver()
    affiliateBrowser = await openBrowser()
    managerBrowser = await openBrowser()
  }, 60_000)
  afterAll(async () => {
    await affiliateBrowser?.close()
    await managerBrowser?.close()
    await receiver?.close()
    await t?.close()
  })

  async function signIn(browser: Browser, email: string, heading: string) {
    const { page } = browser
    await page.goto(`${t.url}/`)
    await field(page, 'Email').fill(email)
    await field(page, 'Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor()
  }

  it('an affiliate asks for an offer, a manager approves it, and its conversion and postback show with its own payout', async () => {
    const { page } = affiliateBrowser
    const manager = managerBrowser.page
    onTestFailed(async () => {
      await screenshot(page, name('failure-affiliate'))
      await screenshot(manager, name('failure-manager'))
    })
    const advertiser = (await t.request('POST', '/api/v1/advertisers', { body: { name: 'Acme' } }))
      .body
    const offerBody = {
      advertiser_id: advertiser.id,
      destination_url: 'https://shop.example/landing?cid={click_id}',
      revenue: '4.00',
      payout: '1.75',
    }
    await t.request('POST', '/api/v1/offers', {
      body: { ...offerBody, name: 'Open Shoes', targeting: { countries: { allow: ['US', 'CA'] } } },
    })
    const offer = (
      await t.request('POST', '/api/v1/offers', {
        body: {
          ...offerBody,
          name: 'VIP Watches',
          visibility: 'approval',
          goals: [{ key: 'sale', revenue: 10, payout: 6 }],
        },
      })
    ).body
    const affiliate = (
      await t.request('POST', '/api/v1/affiliates', { body: { name: 'Deal Hunters' } })
    ).body
    // This affiliate earns its own 2.35 on the offer, not the offer's 1.75
    await t.request('PUT', `/api/v1/offers/${offer.id}/payouts/${affiliate.id}`, {
      body: { payout: '2.35', goal: 'default' },
    })
    await invite(t, { email: 'aff@example.test', role: 'affiliate', affiliate_id: affiliate.id })
    await invite(t, { email: 'boss@example.test', role: 'manager' })

    // The affiliate signs in at / and sees its portal
    await signIn(affiliateBrowser, 'aff@example.test', 'Dashboard')
    const navigation = page.getByRole('navigation')
    for (const link of ['Offers', 'Links', 'Payouts', 'Postbacks', 'Conversions', 'API keys']) {
      await navigation.getByRole('link', { name: link, exact: true }).waitFor()
    }
    expect(await navigation.getByRole('link', { name: 'Access requests' }).count()).toBe(0)
    await inspect(page, name('dashboard'))
    await openFromNavigation(page, 'Offers')
    const vip = page.getByRole('row').filter({ hasText: 'VIP Watches' })
    await vip.getByText('2.35 USD').waitFor()
    await vip.getByText('Approval needed').waitFor()
    const shoes = page.getByRole('row').filter({ hasText: 'Open Shoes' })
    await shoes.getByText('1.75 USD').waitFor()
    await shoes.getByRole('cell', { name: 'US, CA' }).waitFor()
    await vip.getByRole('cell', { name: 'All countries' }).waitFor()
    await inspect(page, name('offers'))
    await vip.getByRole('button', { name: 'Request access to VIP Watches' }).click()
    await field(page, 'Note to the network').fill('Email list, US only')
    await inspect(page, name('request-access'))
    await page.getByRole('button', { name: 'Send request' }).click()
    await vip.getByText('Requested').waitFor()

    // A manager approves it in the console, with a note
    await signIn(managerBrowser, 'boss@example.test', 'Dashboard')
    await openFromNavigation(manager, 'Access requests')
    const request = manager.getByRole('row').filter({ hasText: 'Deal Hunters' })
    await request.getByText('Email list, US only').waitFor()
    await inspect(manager, name('console-access-requests'))
    await request
      .getByRole('textbox', { name: 'Note to Deal Hunters on VIP Watches' })
      .fill('Welcome aboard')
    await request.getByRole('button', { name: 'Approve Deal Hunters on VIP Watches' }).click()
    await request.getByText('Welcome aboard').waitFor()
    await request.getByText('approved').waitFor()
    // …and sees the affiliate's own payout on the offer page
    await manager.goto(`${t.url}/offers/${offer.id}`)
    const payouts = manager.getByRole('region', { name: 'Payouts for single affiliates' })
    await payouts
      .getByRole('row')
      .filter({ hasText: 'Deal Hunters' })
      .getByText('2.35 USD')
      .waitFor()
    // …and gives it its own payout on the sale goal too, from the form
    await payouts.getByRole('combobox', { name: 'Affiliate', exact: true }).click()
    await manager.getByRole('option', { name: 'Deal Hunters' }).click()
    await payouts.getByRole('combobox', { name: 'Goal', exact: true }).click()
    await manager.getByRole('option', { name: 'sale' }).click()
    await payouts.getByRole('textbox', { name: 'Affiliate payout', exact: true }).fill('7.10')
    await payouts.getByRole('button', { name: 'Set payout' }).click()
    await payouts.getByRole('row').filter({ hasText: 'sale' }).getByText('7.1 USD').waitFor()
    await payouts.scrollIntoViewIfNeeded()
    await inspect(manager, name('console-offer-payouts'))

    // The affiliate's offer is open now; it builds its link and copies it
    await page.reload()
    await vip.getByText('Open', { exact: true }).waitFor()
    await vip.getByText('sale: 7.1 USD').waitFor()
    await vip.getByRole('link', { name: 'Get link for VIP Watches' }).click()
    await page.getByRole('heading', { name: 'Links', level: 1 }).waitFor()
    await field(page, 'sub1').fill('tracker-click-1')
    await field(page, 'source').fill('newsletter')
    const shown = page.getByTestId('tracking-link')
    await shown.getByText('sub1=tracker-click-1').waitFor()
    await affiliateBrowser.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: t.url,
    })
    await page.getByRole('button', { name: 'Copy link' }).click()
    await page.getByRole('button', { name: 'Copied' }).waitFor()
    const link = String(await page.evaluate('navigator.clipboard.readText()'))
    expect(link).toBe(await shown.textContent())
    const path = `/c/${offer.id}?aff_id=${affiliate.id}&sub1=tracker-click-1&source=newsletter`
    expect(link).toBe(`${t.config.publicUrl}${path}`)
    await inspect(page, name('links'))

    // Its postback endpoint, from a tracker preset, pointed at its (test) tracker
    await openFromNavigation(page, 'Postbacks')
    await page.getByRole('link', { name: 'New postback' }).click()
    await page.getByRole('combobox', { name: 'Tracker preset' }).click()
    await page.getByRole('option', { name: 'Voluum' }).click()
    expect(await field(page, 'URL').inputValue()).toBe(
      'https://YOUR-VOLUUM-DOMAIN/postback?cid={sub1}&payout={payout}&txid={conversion_id}',
    )
    await inspect(page, name('postback-preset'))
    await field(page, 'URL').fill(`${receiver.url}/postback?cid={sub1}&payout={payout}`)
    await page.getByRole('button', { name: 'Create postback' }).click()
    await page.getByRole('heading', { name: 'Edit postback', level: 1 }).waitFor()

    // A click through the copied link, and the advertiser's postback
    // (the link names the configured public address; the test server listens on a loopback port)
    const redirect = await fetch(`${t.url}${path}`, { redirect: 'manual' })
    expect(redirect.status).toBe(302)
    const clickId = new URL(redirect.headers.get('location')!).searchParams.get('cid')!
    const postback = await t.request(
      'GET',
      `/postback?click_id=${clickId}&txid=order-1&token=${advertiser.postback_token}`,
      { key: null },
    )
    expect(postback.body.result).toBe('accepted')
    await waitFor(() => receiver.received.length > 0, { message: "the affiliate's postback" })
    expect(receiver.received[0]!.url).toBe('/postback?cid=tracker-click-1&payout=2.35')

    // The portal shows the conversion with its own payout, and the delivered postback
    await openFromNavigation(page, 'Conversions')
    const conversion = page.getByRole('row').filter({ hasText: 'order-1' })
    await conversion.getByText('$2.35').waitFor({ timeout: 15_000 })
    await conversion.getByText('approved').waitFor()
    await inspect(page, name('conversions'))
    await openFromNavigation(page, 'Deliveries')
    await page.getByRole('row').filter({ hasText: 'delivered' }).first().waitFor()
    await inspect(page, name('deliveries'))
    await openFromNavigation(page, 'Payouts')
    const due = page.getByRole('row').filter({ hasText: 'VIP Watches' })
    await due.getByText('2.35').waitFor()
    await inspect(page, name('payouts'))
    const csvOf = async () => {
      const download = page.waitForEvent('download')
      await page.getByRole('button', { name: 'Download CSV' }).click()
      return readFileSync((await (await download).path())!, 'utf8')
    }
    const payoutsCsv = await csvOf()
    expect(payoutsCsv).toContain('2.35')
    expect(payoutsCsv).not.toContain('revenue')
    await openFromNavigation(page, 'Reports')
    await inspect(page, name('reports'))
    const reportCsv = await csvOf()
    expect(reportCsv.split('\n')[0]).toContain('payout')
    expect(reportCsv).not.toContain('revenue')
    expect(reportCsv).not.toContain('profit')
    await openFromNavigation(page, 'API keys')
    await inspect(page, name('api-keys'))
    await openFromNavigation(page, 'Links')
    await inspect(page, name('links-empty-choice'))
  }, 180_000)
})
