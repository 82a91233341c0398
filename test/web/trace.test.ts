import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest'
import { ensureWebBuilt } from '../../web/tools/build-web.ts'
import { as, invite, login, PASSWORD } from '../access/people.ts'
import { click, postbackGet, setUp } from '../conversions/postback-helpers.ts'
import { type Receiver, startReceiver } from '../delivery/receiver.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { type Browser, field, inspect, openBrowser, screenshot } from './browser.ts'

beforeAll(() => ensureWebBuilt(), 180_000)

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

describeEachEngine('clicks, the conversion trace and replays in the console', (engine) => {
  let t: TestServer
  let browser: Browser
  let accepting: Receiver
  let gone: Receiver
  const name = (page: string) => `${engine}-trace-${page}`
  beforeAll(async () => {
    t = await startTestServer(engine, { BACKTRACK_ALLOW_PRIVATE_TARGETS: '1' })
    accepting = await startReceiver((_request, response) => response.end('thanks'))
    // 410 Gone fails a delivery at once: a failed delivery without waiting out retries.
    gone = await startReceiver((_request, response) => {
      response.statusCode = 410
      response.end('no such campaign')
    })
    browser = await openBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await accepting?.close()
    await gone?.close()
    await t?.close()
  })

  it('finds a click by sub id, traces its conversion, changes its status and replays deliveries', async () => {
    const { page } = browser
    onTestFailed(() => screenshot(page, name('failure')))
    const { offer, affiliate, token } = await setUp(t)
    for (const url of [`${accepting.url}/pb?tx={txid}`, `${gone.url}/pb?tx={txid}`]) {
      const endpoint = await t.request('POST', '/api/v1/postbacks', {
        body: { affiliate_id: affiliate.id, url },
      })
      expect(endpoint.status).toBe(201)
    }
    const clickId = await click(
      t,
      offer.id,
      affiliate.id,
      { sub1: 'spring' },
      { 'user-agent': CHROME },
    )
    const otherClick = await click(t, offer.id, affiliate.id, { sub1: 'autumn' })
    // A refused call, the conversion, and the same call again (a duplicate).
    await postbackGet(t, { click_id: clickId, txid: 'ORDER-7', token: 'wrong-token' })
    const accepted = await postbackGet(t, { click_id: clickId, txid: 'ORDER-7', token })
    expect(accepted.body.result).toBe('accepted')
    const conversionId: string = accepted.body.conversion_id
    await postbackGet(t, { click_id: clickId, txid: 'ORDER-7', token })
    const deliveries = await waitFor(async () => {
      const list = await t.request('GET', `/api/v1/deliveries?conversion_id=${conversionId}`)
      const states = list.body.data.map((d: { state: string }) => d.state).sort()
      return states.join() === 'delivered,failed' ? list.body.data : undefined
    })
    const delivered = deliveries.find((d: { state: string }) => d.state === 'delivered')
    const failed = deliveries.find((d: { state: string }) => d.state === 'failed')

    await invite(t, { email: 'manager@example.test', role: 'manager' })
    // The click log opened with a filter in its URL, as a shared link would open it.
    await page.goto(`${t.url}/clicks?sub1=spring`)
    await field(page, 'Email').fill('manager@example.test')
    await field(page, 'Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: 'Clicks', level: 1 }).waitFor()
    await page.getByRole('link', { name: clickId }).waitFor()
    expect(await page.getByRole('link', { name: otherClick }).count()).toBe(0)
    expect(await field(page, 'Sub 1').inputValue()).toBe('spring')
    await inspect(page, name('clicks'))

    // A filter set in the form goes to the URL; nothing matches, and the page says what to do.
    await field(page, 'Country').fill('ZZ')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByText('No clicks match these filters').waitFor()
    expect(new URL(page.url()).searchParams.get('country')).toBe('ZZ')
    expect(new URL(page.url()).searchParams.get('sub1')).toBe('spring')
    await inspect(page, name('clicks-empty'))
    await page.goBack()
    await page.getByRole('link', { name: clickId }).click()

    // The click's page, with the conversion it led to.
    await page.getByRole('heading', { name: 'Click', level: 1 }).waitFor()
    await page.getByText('sub1=spring').waitFor()
    await page.getByText('unique', { exact: true }).waitFor()
    await inspect(page, name('click'))
    await page.getByRole('link', { name: `Trace of conversion ${conversionId}` }).click()

    // The trace: click, every call about it with reasons in words, history, deliveries.
    await page.getByRole('heading', { name: `Conversion ${conversionId}`, level: 1 }).waitFor()
    const clickPart = page.getByRole('region', { name: 'Click' })
    await clickPart.getByText('sub1=spring').waitFor()
    await clickPart.getByText('desktop, Windows, Chrome').waitFor()
    const calls = page.getByRole('region', { name: 'Inbound postback calls' })
    await calls.getByText('Accepted: a new conversion was recorded').waitFor()
    await calls
      .getByText(/Already reported with this txid and status: nothing changed\. \(duplicate_txid\)/)
      .waitFor()
    await calls.getByText(/not the advertiser's postback token\. \(invalid_token\)/).waitFor()
    const good = page.getByRole('region', { name: `Delivery ${delivered.id}` })
    await good.getByText('delivered', { exact: true }).waitFor()
    await good.getByText('HTTP 200').waitFor()
    await good.getByText('thanks').waitFor()
    const bad = page.getByRole('region', { name: `Delivery ${failed.id}` })
    await bad.getByText('HTTP 410').waitFor()
    await inspect(page, name('conversion'))
    await calls.scrollIntoViewIfNeeded()
    await screenshot(page, name('conversion-calls'))
    await bad.scrollIntoViewIfNeeded()
    await screenshot(page, name('conversion-deliveries'))

    // "Change status": approved → rejected, with a reason, into the history.
    await page.getByRole('button', { name: 'Change status' }).click()
    const dialog = page.getByRole('dialog', { name: 'Change status' })
    await dialog.getByRole('combobox', { name: 'Status' }).click()
    await page.getByRole('option', { name: 'rejected' }).click()
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('refunded by the shop')
    await inspect(page, name('change-status'))
    await dialog.getByRole('button', { name: 'Save status' }).click()
    const history = page.getByRole('region', { name: 'Status history' })
    await history.getByText('approved → rejected').waitFor()
    await history.getByText('refunded by the shop').waitFor()
    const stored = await t.request('GET', `/api/v1/conversions/${conversionId}`)
    expect(stored.body.status).toBe('rejected')
    expect(stored.body.reason).toBe('refunded by the shop')

    // "Retry delivery" sends it again, and the second answer shows.
    const before = accepting.received.length
    await good.getByRole('button', { name: 'Retry delivery' }).click()
    await waitFor(() => accepting.received.length > before || undefined)
    await good.getByRole('cell', { name: '2', exact: true }).waitFor()

    // Bulk replay: every failed delivery, after a confirmation, with the count.
    const goneBefore = gone.received.length
    await page.goto(`${t.url}/deliveries`)
    await page.getByRole('heading', { name: 'Deliveries', level: 1 }).waitFor()
    await page.getByRole('button', { name: 'Retry all failed' }).click()
    const confirm = page.getByRole('dialog', { name: 'Replay deliveries' })
    await confirm.getByText('Send every failed delivery again now?').waitFor()
    await inspect(page, name('replay-confirm'))
    await confirm.getByRole('button', { name: 'Replay' }).click()
    await page.getByRole('status').getByText('1 delivery queued again').waitFor()
    await waitFor(() => gone.received.length > goneBefore || undefined)

    // And the rows picked: the delivered one, by its box.
    const sent = accepting.received.length
    await page.getByRole('checkbox', { name: `Select delivery ${delivered.id}` }).check()
    await page.getByRole('button', { name: 'Retry selected (1)' }).click()
    await page
      .getByRole('dialog', { name: 'Replay deliveries' })
      .getByRole('button', { name: 'Replay' })
      .click()
    await waitFor(() => accepting.received.length > sent || undefined)
    await inspect(page, name('deliveries'))
  }, 180_000)

  it('shows an analyst the trace without the buttons it may not use, and the API refuses anyway', async () => {
    const { page } = browser
    onTestFailed(() => screenshot(page, name('analyst-failure')))
    const { id: conversionId } = (await t.request('GET', '/api/v1/conversions?limit=1')).body
      .data[0]
    await invite(t, { email: 'analyst@example.test', role: 'analyst' })
    await page.goto(`${t.url}/clicks`)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await field(page, 'Email').waitFor()
    await page.goto(`${t.url}/conversions/${conversionId}`)
    await field(page, 'Email').fill('analyst@example.test')
    await field(page, 'Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: `Conversion ${conversionId}`, level: 1 }).waitFor()
    await page.getByRole('region', { name: 'Deliveries' }).getByText('delivered').first().waitFor()
    expect(await page.getByRole('button', { name: 'Change status' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Retry delivery' }).count()).toBe(0)
    await inspect(page, name('analyst-conversion'))
    await page.goto(`${t.url}/deliveries`)
    await page.getByRole('heading', { name: 'Deliveries', level: 1 }).waitFor()
    expect(await page.getByRole('button', { name: 'Retry all failed' }).count()).toBe(0)
    expect(await page.getByRole('checkbox').count()).toBe(0)

    const analyst = await login(t, 'analyst@example.test')
    const patch = await t.request('PATCH', `/api/v1/conversions/${conversionId}`, {
      ...as(analyst),
      body: { status: 'approved' },
    })
    expect(patch.status).toBe(403)
    const replay = await t.request('POST', '/api/v1/deliveries/retry', { ...as(analyst), body: {} })
    expect(replay.status).toBe(403)
  }, 120_000)
})
