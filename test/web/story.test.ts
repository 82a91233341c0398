import { createHmac, timingSafeEqual } from 'node:crypto'
import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest'
import { ensureWebBuilt } from '../../web/tools/build-web.ts'
import { invite, PASSWORD } from '../access/people.ts'
import { type Received, type Receiver, startReceiver } from '../delivery/receiver.ts'
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

/** Whether a request carries a Standard Webhooks signature made with `secret` (whsec_…). */
function signedWith(request: Received, secret: string): boolean {
  const id = request.headers['webhook-id']
  const timestamp = request.headers['webhook-timestamp']
  const signatures = request.headers['webhook-signature']
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string')
    return false
  // Fresh: the standard's receivers refuse a timestamp more than five minutes off.
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${request.body}`).digest()
  return signatures.split(' ').some((signature) => {
    const [version, value] = signature.split(',')
    const given = Buffer.from(value ?? '', 'base64')
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected)
  })
}

describeEachEngine('the story of a conversion, told through the console', (engine) => {
  let t: TestServer
  let browser: Browser
  let receiver: Receiver
  const name = (page: string) => `${engine}-story-${page}`
  beforeAll(async () => {
    // The receiver listens on loopback, which deliveries refuse unless allowed.
    t = await startTestServer(engine, { BACKTRACK_ALLOW_PRIVATE_TARGETS: '1' })
    receiver = await startReceiver((_request, response) => response.end('received'))
    browser = await openBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await receiver?.close()
    await t?.close()
  })

  it('signs in, sets up a campaign, converts a real click and follows it to the audit log', async () => {
    const { page } = browser
    onTestFailed(() => screenshot(page, name('failure')))

    // A manager, invited by an admin, signs in with email and password.
    await invite(t, { email: 'morgan@example.test', name: 'Morgan', role: 'manager' })
    await page.goto(`${t.url}/`)
    await page.getByRole('heading', { name: 'Sign in to Backtrack' }).waitFor()
    await field(page, 'Email').fill('morgan@example.test')
    await field(page, 'Password').fill(PASSWORD)
    const signingIn = performance.now()
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    const today = page.getByRole('region', { name: 'Today' }).getByText(/^\d+ clicks?$/)
    await today.waitFor()
    const signInMs = Math.round(performance.now() - signingIn)
    // And from a fresh navigation, as a person opening the console in a new tab would.
    const started = performance.now()
    await page.goto(`${t.url}/`)
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor()
    await today.waitFor()
    const usableMs = Math.round(performance.now() - started)
    console.log(
      `[${engine}] dashboard usable in ${usableMs} ms (navigation to heading + totals), ${signInMs} ms from the sign-in button`,
    )
    // The goal is 1 s; a loaded CI machine (two cores shared by the whole suite) gets slack.
    expect(usableMs).toBeLessThan(5000)
    await page.getByRole('button', { name: 'morgan@example.test (manager)' }).waitFor()

    // An advertiser.
    await openFromNavigation(page, 'Advertisers')
    await page.getByRole('link', { name: 'New advertiser' }).click()
    await field(page, 'Name').fill('Northwind Outdoor')
    await page.getByRole('button', { name: 'Create advertiser' }).click()
    await page.getByRole('heading', { name: 'Edit advertiser', level: 1 }).waitFor()
    const advertiserPage = page.url()

    // An offer of theirs with a goal; its landing page is the server's health check, so the
    // browser can follow the link and show the click id it lands with.
    await openFromNavigation(page, 'Offers')
    await page.getByRole('link', { name: 'New offer' }).click()
    await page.getByRole('combobox', { name: 'Advertiser' }).click()
    await page.getByRole('option', { name: 'Northwind Outdoor' }).click()
    await field(page, 'Name').fill('Trail tents')
    await field(page, 'Destination URL').fill(`${t.url}/healthz?click={click_id}`)
    await field(page, 'Revenue').fill('4.00')
    await field(page, 'Payout').fill('2.50')
    await page.getByRole('button', { name: 'Add goal' }).click()
    const goal = page.getByRole('group', { name: 'Goal 1' })
    await field(goal, 'Key').fill('purchase')
    await field(goal, 'Goal revenue').fill('12.00')
    await field(goal, 'Goal payout').fill('7.50')
    await page.getByRole('button', { name: 'Create offer' }).click()
    await page.getByRole('heading', { name: 'Edit offer', level: 1 }).waitFor()
    const offerPage = page.url()
    const offerId = /\/offers\/(\d+)$/.exec(offerPage)?.[1]
    expect(offerId).toBeDefined()

    // An affiliate.
    await openFromNavigation(page, 'Affiliates')
    await page.getByRole('link', { name: 'New affiliate' }).click()
    await field(page, 'Name').fill('Camping Deals')
    await page.getByRole('button', { name: 'Create affiliate' }).click()
    const created = page.getByRole('status').filter({ hasText: 'Affiliate created' })
    await created.waitFor()
    const affiliateId = /Affiliate id (\d+)/.exec((await created.textContent()) ?? '')?.[1]
    expect(affiliateId).toBeDefined()

    // The affiliate's signed postback, pointing at the receiver this test runs.
    await openFromNavigation(page, 'Postbacks')
    await page.getByRole('link', { name: 'New postback' }).click()
    await page.getByRole('heading', { name: 'New postback', level: 1 }).waitFor()
    await page.getByRole('combobox', { name: 'Affiliate' }).click()
    await page.getByRole('option', { name: 'Camping Deals' }).click()
    await page.getByRole('combobox', { name: 'Method' }).click()
    await page.getByRole('option', { name: 'POST' }).click()
    await field(page, 'URL').fill(`${receiver.url}/conversions?tx={txid}&goal={goal}`)
    await page.getByRole('checkbox', { name: 'Sign each request (Standard Webhooks)' }).check()
    await page.getByRole('button', { name: 'Create postback' }).click()
    await page.getByRole('heading', { name: 'Edit postback', level: 1 }).waitFor()
    const secret = page.getByText(/^whsec_/)
    await secret.waitFor()
    const signingSecret = ((await secret.textContent()) ?? '').trim()
    expect(signingSecret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/)
    await inspect(page, name('postback-signed'))

    // The tracking link from the offer's builder, opened by a visitor: a real click, whose id
    // the landing page receives in its address.
    await page.goto(offerPage)
    const builder = page.getByRole('region', { name: 'Tracking link builder' })
    await builder.getByRole('combobox', { name: 'Affiliate' }).click()
    await page.getByRole('option', { name: `Camping Deals (${affiliateId})` }).click()
    await field(builder, 'Sub 1').fill('summer')
    const link = (await builder.getByLabel('Tracking link').textContent()) ?? ''
    expect(link).toContain(`aff_id=${affiliateId}`)
    const visitor = await browser.context.newPage()
    // Links carry the public address (BACKTRACK_PUBLIC_URL); the visitor reaches the test's port.
    await visitor.goto(link.replace(new URL(link).origin, t.url))
    const clickId = new URL(visitor.url()).searchParams.get('click')
    expect(clickId).toMatch(/^[\w-]{10,40}$/)
    await visitor.close()

    // The conversions list is open in a second tab and stays open, not reloaded.
    const list = await browser.context.newPage()
    await list.goto(`${t.url}/conversions`)
    await list.getByRole('heading', { name: 'Conversions', level: 1 }).waitFor()
    await list.getByText('No conversions yet').waitFor()
    await list.evaluate(() => {
      ;(globalThis as { notReloaded?: boolean }).notReloaded = true
    })

    // A test conversion of the goal, sent from the advertiser's postback URL builder.
    await page.goto(advertiserPage)
    const test = page.getByRole('form', { name: 'Send a test conversion' })
    await field(test, 'Click id').fill(clickId!)
    await field(test, 'Transaction id').fill('TENT-501')
    await field(test, 'Amount').fill('120')
    await field(test, 'Goal').fill('purchase')
    await test.getByRole('button', { name: 'Send test conversion' }).click()
    const accepted = test.getByRole('status').getByText(/^Accepted: conversion \d+ recorded/)
    await accepted.waitFor()
    const conversionId = /conversion (\d+)/.exec((await accepted.textContent()) ?? '')?.[1]
    expect(conversionId).toBeDefined()

    // The list shows it without a reload.
    const row = list.getByRole('row').filter({ hasText: 'TENT-501' })
    await row.waitFor({ timeout: 15_000 })
    expect(await list.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    )
    await row.getByRole('cell', { name: 'purchase', exact: true }).waitFor()
    await row.getByRole('cell', { name: '$7.50', exact: true }).waitFor()
    await inspect(list, name('conversions-live'))

    // The receiver got one signed delivery of it, the signature made with the endpoint's secret.
    const request = await waitFor(() => receiver.received[0])
    expect(request.method).toBe('POST')
    expect(request.url).toBe('/conversions?tx=TENT-501&goal=purchase')
    expect(signedWith(request, signingSecret)).toBe(true)
    expect(signedWith({ ...request, body: `${request.body} ` }, signingSecret)).toBe(false)

    // Its trace: the click, the inbound call, the delivery delivered.
    await list.getByRole('link', { name: conversionId, exact: true }).click()
    await list.getByRole('heading', { name: `Conversion ${conversionId}`, level: 1 }).waitFor()
    await list.close()
    await page.goto(`${t.url}/conversions/${conversionId}`)
    await page.getByRole('heading', { name: `Conversion ${conversionId}`, level: 1 }).waitFor()
    const clickPart = page.getByRole('region', { name: 'Click' })
    await clickPart.getByText(clickId!).first().waitFor()
    await clickPart.getByText('sub1=summer').waitFor()
    const calls = page.getByRole('region', { name: 'Inbound postback calls' })
    await calls.getByText('Accepted: a new conversion was recorded').waitFor()
    const deliveries = page.getByRole('region', { name: 'Deliveries' })
    await deliveries.getByText('delivered', { exact: true }).waitFor()
    await deliveries.getByText('HTTP 200').waitFor()
    await deliveries.getByText('received').waitFor()
    await inspect(page, name('trace'))

    // The report counts the click and the conversion, with the goal's money.
    await openFromNavigation(page, 'Reports')
    const report = page.getByRole('table', { name: 'Report' })
    const reportRow = report
      .getByRole('row')
      .filter({ hasText: 'USD' })
      .filter({ hasNotText: 'Total' })
    await reportRow.waitFor()
    const headers = await report.getByRole('columnheader').allTextContents()
    const cells = await reportRow.getByRole('cell').allTextContents()
    const column = (header: string) => cells[headers.indexOf(header)]
    expect(column('clicks')).toBe('1')
    expect(column('conversions')).toBe('1')
    expect(column('payout')).toMatch(/7\.50/)

    // So does the dashboard's chart of today.
    await openFromNavigation(page, 'Dashboard')
    await page
      .getByRole('figure', { name: 'Today, per hour' })
      .getByText('Today, per hour: clicks 1, conversions 1.')
      .waitFor()
    await screenshot(page, name('dashboard'))

    // The status changed from the trace, with a reason.
    await page.goto(`${t.url}/conversions/${conversionId}`)
    await page.getByRole('button', { name: 'Change status' }).click()
    const dialog = page.getByRole('dialog', { name: 'Change status' })
    await dialog.getByRole('combobox', { name: 'Status' }).click()
    await page.getByRole('option', { name: 'rejected' }).click()
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('tent returned')
    await dialog.getByRole('button', { name: 'Save status' }).click()
    await page
      .getByRole('region', { name: 'Status history' })
      .getByText('approved → rejected')
      .waitFor()

    // The audit log shows who changed it, from what to what.
    await openFromNavigation(page, 'Audit log')
    await page.getByRole('combobox', { name: 'Entity' }).click()
    await page.getByRole('option', { name: 'conversion' }).click()
    const change = page
      .getByRole('table', { name: 'Changes' })
      .getByRole('row')
      .filter({ hasText: `conversion ${conversionId}` })
      .filter({ hasText: 'Morgan' })
    await change.first().waitFor()
    const status = change.first().getByRole('row').filter({ hasText: 'status' })
    expect(await status.getByRole('cell').allTextContents()).toEqual([
      'status',
      '"approved"',
      '"rejected"',
    ])
    expect(new URL(page.url()).searchParams.get('entity')).toBe('conversion')
    await inspect(page, name('audit-log'))
  }, 240_000)
})
