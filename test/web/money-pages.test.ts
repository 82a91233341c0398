import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest'
import { ensureWebBuilt } from '../../web/tools/build-web.ts'
import { invite, PASSWORD } from '../access/people.ts'
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

describeEachEngine('links, postbacks and money in the console', (engine) => {
  let t: TestServer
  let browser: Browser
  const name = (page: string) => `${engine}-money-${page}`
  beforeAll(async () => {
    t = await startTestServer(engine)
    browser = await openBrowser()
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: t.url,
    })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('builds a link, converts a real click from the postback builder, and counts its money on the dashboard and in reports', async () => {
    const { page } = browser
    onTestFailed(() => screenshot(page, name('failure')))
    const advertiser = await t.request('POST', '/api/v1/advertisers', { body: { name: 'Acme' } })
    const offer = await t.request('POST', '/api/v1/offers', {
      body: {
        advertiser_id: advertiser.body.id,
        name: 'Spring sale',
        destination_url: `${t.url}/healthz?click={click_id}`,
        currency: 'USD',
        revenue: '5.00',
        payout: '3.25',
      },
    })
    expect(offer.status, JSON.stringify(offer.body)).toBe(201)
    const affiliate = await t.request('POST', '/api/v1/affiliates', {
      body: { name: 'Best Deals' },
    })

    await page.goto(`${t.url}/offers/${offer.body.id}`)
    await page.getByRole('button', { name: 'Sign in with an API key (advanced)' }).click()
    await field(page, 'API key').fill(TEST_ADMIN_KEY)
    await page.getByRole('button', { name: 'Sign in with key' }).click()
    await page.getByRole('heading', { name: 'Edit offer', level: 1 }).waitFor()

    // The tracking link builder: an affiliate, a sub id with a macro of their tracker, a source.
    const builder = page.getByRole('region', { name: 'Tracking link builder' })
    await builder.getByRole('combobox', { name: 'Affiliate' }).click()
    await page.getByRole('option', { name: `Best Deals (${affiliate.body.id})` }).click()
    await field(builder, 'Sub 1').fill('spring')
    await field(builder, 'Sub 2').fill('{clickid}')
    await field(builder, 'Source').fill('newsletter')
    // Links carry the server's public address (BACKTRACK_PUBLIC_URL), not the test's port.
    const link = `${offer.body.tracking_url.replace('{affiliate_id}', affiliate.body.id)}&sub1=spring&sub2={clickid}&source=newsletter`
    expect(await builder.getByLabel('Tracking link').textContent()).toBe(link)
    await builder.getByRole('button', { name: 'Copy link' }).click()
    await builder.getByRole('button', { name: 'Copied' }).waitFor()
    expect(
      await page.evaluate(() => {
        // Runs in the page, which has the DOM's navigator.
        const { navigator } = globalThis as unknown as {
          navigator: { clipboard: { readText(): Promise<string> } }
        }
        return navigator.clipboard.readText()
      }),
    ).toBe(link)
    await inspect(page, name('link-builder'))

    // A visitor follows the copied link: a real click.
    const visitor = await browser.context.newPage()
    await visitor.goto(link.replace(new URL(link).origin, t.url))
    const clickId = new URL(visitor.url()).searchParams.get('click')
    expect(clickId).toMatch(/^[\w-]{10,40}$/)
    await visitor.close()

    // The advertiser's postback URL builder: the token is in the URL; parameters come and go.
    await page.goto(`${t.url}/advertisers/${advertiser.body.id}`)
    const postbacks = page.getByRole('region', { name: 'Postback URL builder' })
    const url = postbacks.getByLabel('Postback URL')
    await url.waitFor()
    expect(await url.textContent()).toContain(`&token=${advertiser.body.postback_token}`)
    await postbacks.getByRole('checkbox', { name: 'Send goal' }).uncheck()
    await postbacks.getByRole('textbox', { name: 'Macro for amount' }).fill('{sale_amount}')
    expect(await url.textContent()).toBe(
      `${advertiser.body.postback_url.split('?')[0]}?click_id={click_id}&txid={txid}&amount={sale_amount}&status={status}&token=${advertiser.body.postback_token}`,
    )
    const test = page.getByRole('form', { name: 'Send a test conversion' })
    await field(test, 'Click id').fill(clickId!)
    await field(test, 'Transaction id').fill('ORDER-77')
    await field(test, 'Amount').fill('40')
    await test.getByRole('button', { name: 'Send test conversion' }).click()
    await test
      .getByRole('status')
      .getByText(/^Accepted: conversion \d+ recorded as approved\.$/)
      .waitFor()
    await inspect(page, name('postback-builder'))
    // The same again is a duplicate, said so.
    await test.getByRole('button', { name: 'Send test conversion' }).click()
    await test
      .getByRole('status')
      .getByText(/^Duplicate: conversion \d+ was already/)
      .waitFor()
    // A click id that was never issued is refused, in words.
    await field(test, 'Click id').fill('not-a-click')
    await test.getByRole('button', { name: 'Send test conversion' }).click()
    await test
      .getByRole('status')
      .getByText(/^Refused \(400 invalid_click_id\)/)
      .waitFor()

    // The dashboard: today's money, exact, and the top tables.
    await openFromNavigation(page, 'Dashboard')
    const today = page.getByRole('region', { name: 'Today' })
    await today.getByText('1 click', { exact: true }).waitFor()
    await today.getByText('1 conversion', { exact: true }).waitFor()
    const figure = (label: string) => today.getByRole('row', { name: label }).getByRole('cell')
    expect(await figure('Revenue').textContent()).toBe('$5.00')
    expect(await figure('Payout').textContent()).toBe('$3.25')
    expect(await figure('Profit').textContent()).toBe('$1.75')
    expect(await figure('CR').textContent()).toBe('100%')
    expect(await figure('EPC').textContent()).toBe('$3.25')
    const topOffers = page.getByRole('region', { name: 'Top offers' })
    const offerRow = topOffers.getByRole('row', { name: /Spring sale/ })
    await offerRow.waitFor()
    expect(await offerRow.getByRole('cell').allTextContents()).toEqual([
      'Spring sale',
      '1',
      '1',
      '$5.00',
      '$3.25',
      '$1.75',
      '100%',
    ])
    await page
      .getByRole('region', { name: 'Top affiliates' })
      .getByRole('link', { name: 'Best Deals' })
      .waitFor()
    await page.getByRole('figure', { name: 'Today, per hour' }).waitFor()
    await inspect(page, name('dashboard'))
    // A longer period is charted by day, and the URL keeps the choice.
    await page.getByText('Last 7 days', { exact: true }).last().click()
    await page.getByRole('figure', { name: 'Last 7 days, per day' }).waitFor()
    expect(new URL(page.url()).searchParams.get('period')).toBe('7d')

    // Reports: a grouping chosen in the page lands in the URL, a reload keeps all of it.
    await openFromNavigation(page, 'Reports')
    await page.waitForURL(/group_by=day/)
    const groupBy = page.getByRole('combobox', { name: 'Group by' })
    await groupBy.click()
    await page.getByRole('option', { name: 'sub1' }).click()
    await page.waitForURL(/group_by=day%2Csub1|group_by=day,sub1/)
    await page.keyboard.press('Escape')
    const report = page.getByRole('table', { name: 'Report' })
    await report.getByRole('cell', { name: 'spring' }).waitFor()
    const shared = page.url()
    expect(new URL(shared).searchParams.get('tz')).toBeTruthy()
    expect(new URL(shared).searchParams.get('from')).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    await page.reload()
    await report.getByRole('cell', { name: 'spring' }).waitFor()
    expect(page.url()).toBe(shared)
    expect(await report.getByRole('columnheader').allTextContents()).toEqual(
      expect.arrayContaining(['day', 'sub1', 'currency', 'clicks', 'revenue', 'profit', 'epc']),
    )
    await inspect(page, name('reports'))

    // A shared link with its own grouping and sort opens exactly that report.
    await page.goto(`${t.url}/reports?group_by=offer_id,source&sort=-conversions`)
    await report.getByRole('cell', { name: 'newsletter' }).waitFor()
    expect(await page.getByRole('combobox', { name: 'Sort by' }).inputValue()).toBe('conversions')
    expect(await page.getByRole('combobox', { name: 'Order' }).inputValue()).toBe('Descending')
    await page.getByRole('figure', { name: /Clicks and conversions of the first 1 rows/ }).waitFor()

    // The CSV download is the report as the API gives it.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(
      /^report-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/,
    )
    const csv = readFileSync((await download.path())!, 'utf8').split('\r\n')
    expect(csv[0]).toBe(
      'offer_id,source,currency,clicks,unique_clicks,conversions,pending_conversions,rejected_conversions,held_conversions,flagged_conversions,revenue,payout,profit,cr,epc,blocked_clicks',
    )
    expect(csv[1]).toBe(`${offer.body.id},newsletter,USD,1,1,1,0,0,0,0,5,3.25,1.75,1,3.25,0`)
    await inspect(page, name('reports-grouped'))
  }, 180_000)

  it('lets a person change their password from the user menu, and shows a QR code to set up two-factor', async () => {
    const { page } = browser
    onTestFailed(() => screenshot(page, name('failure-person')))
    await invite(t, { email: 'pat@example.test', name: 'Pat', role: 'manager' })
    // Signed out of the tab's key too, from a page of the server's origin.
    await page.goto(`${t.url}/healthz`)
    await page.evaluate(() => sessionStorage.clear())
    await page.goto(`${t.url}/`)
    await field(page, 'Email').fill('pat@example.test')
    await field(page, 'Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor()

    await page.getByRole('button', { name: 'pat@example.test (manager)' }).click()
    await page.getByRole('menuitem', { name: 'Two-factor' }).click()
    await page.getByRole('button', { name: 'Set up two-factor' }).click()
    const qr = page.getByRole('img', { name: 'QR code for your authenticator app' })
    await qr.waitFor()
    expect((await qr.boundingBox())?.width).toBeGreaterThan(100)
    await inspect(page, name('two-factor-qr'))

    await page.getByRole('button', { name: 'pat@example.test (manager)' }).click()
    await page.getByRole('menuitem', { name: 'Change password' }).click()
    await page.getByRole('heading', { name: 'Change password', level: 1 }).waitFor()
    const newPassword = 'an even longer and stranger passphrase'
    await field(page, 'Current password').fill('not my password at all')
    await field(page, 'New password').fill(newPassword)
    await field(page, 'Repeat new password').fill(newPassword)
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.getByText('is wrong', { exact: true }).waitFor()
    await inspect(page, name('change-password'))
    await field(page, 'Current password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Change password' }).click()
    // Every session ends with the change, this one too: sign in again, with the new password.
    await page.getByRole('heading', { name: 'Sign in to Backtrack' }).waitFor()
    await field(page, 'Email').fill('pat@example.test')
    await field(page, 'Password').fill(newPassword)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor()
  }, 120_000)

  it("hides the advertiser's token and the test conversion from an analyst", async () => {
    const { page } = browser
    onTestFailed(() => screenshot(page, name('failure-analyst')))
    const advertiser = await t.request('POST', '/api/v1/advertisers', { body: { name: 'Zeta' } })
    await invite(t, { email: 'ann@example.test', name: 'Ann', role: 'analyst' })
    await browser.context.clearCookies()
    // Signed out of the tab's key too, from a page of the server's origin.
    await page.goto(`${t.url}/healthz`)
    await page.evaluate(() => sessionStorage.clear())
    await page.goto(`${t.url}/advertisers/${advertiser.body.id}`)
    await field(page, 'Email').fill('ann@example.test')
    await field(page, 'Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    const postbacks = page.getByRole('region', { name: 'Postback URL builder' })
    const url = postbacks.getByLabel('Postback URL')
    await url.waitFor()
    expect(await url.textContent()).toMatch(/&token=\{token\}$/)
    expect(await url.textContent()).not.toContain(advertiser.body.postback_token)
    await postbacks.getByText("Your role does not see the advertiser's token").waitFor()
    expect(await page.getByRole('form', { name: 'Send a test conversion' }).count()).toBe(0)
    await inspect(page, name('postback-builder-analyst'))
  }, 60_000)
})
