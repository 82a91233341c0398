import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest'
import { ensureWebBuilt } from '../../web/tools/build-web.ts'
import { invite, PASSWORD } from '../access/people.ts'
import { click, postbackGet, setUp } from '../conversions/postback-helpers.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import {
  type Browser,
  field,
  inspect,
  openBrowser,
  openFromNavigation,
  screenshot,
} from './browser.ts'

beforeAll(() => ensureWebBuilt(), 180_000)

const BROWSER_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36'

describeEachEngine('the review queue', (engine) => {
  let t: TestServer
  let browser: Browser
  const name = (page: string) => `${engine}-review-${page}`
  beforeAll(async () => {
    t = await startTestServer(engine)
    browser = await openBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('shows held conversions with their flags; a manager approves one and rejects the rest with a reason', async () => {
    const { page } = browser
    onTestFailed(() => screenshot(page, name('failure')))
    const { offer, affiliate, token } = await setUp(t, {
      fraud: { min_ctit_seconds: { value: 3600, action: 'hold' } },
      time_zone: 'Asia/Tokyo',
      caps: [{ metric: 'conversions', period: 'day', limit: 100 }],
    })
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const clickId = await click(t, offer.id, affiliate.id, {}, { 'user-agent': BROWSER_UA })
      const res = await postbackGet(t, { click_id: clickId, token })
      expect(res.body.status).toBe('pending')
      ids.push(res.body.conversion_id)
    }
    await invite(t, { email: 'manager@example.test', role: 'manager' })

    await page.goto(`${t.url}/review`)
    await field(page, 'Email').fill('manager@example.test')
    await field(page, 'Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: 'Review queue', level: 1 }).waitFor()
    await page
      .getByText(/min_ctit_seconds: \d+ \/ 3600/)
      .first()
      .waitFor()
    expect(await page.getByRole('checkbox', { name: /^Select conversion/ }).count()).toBe(3)
    await page.getByRole('checkbox', { name: `Select conversion ${ids[0]}` }).check()
    await field(page, 'Reason').fill('checked with the advertiser')
    await inspect(page, name('held'))

    await page.getByRole('button', { name: 'Approve selected (1)' }).click()
    await page.getByRole('status').getByText('1 reviewed as approved.').waitFor()
    await page
      .getByRole('checkbox', { name: `Select conversion ${ids[0]}` })
      .waitFor({ state: 'detached' })
    await page.getByRole('checkbox', { name: 'Select all' }).check()
    await page.getByRole('button', { name: 'Reject selected (2)' }).click()
    await page.getByText('Nothing to review').waitFor()
    await inspect(page, name('empty'))

    const approved = await t.request('GET', `/api/v1/conversions/${ids[0]}`)
    expect(approved.body.history.at(-1)).toMatchObject({
      to: 'approved',
      reason: 'checked with the advertiser',
    })
    const rejected = await t.request('GET', `/api/v1/conversions/${ids[2]}`)
    expect(rejected.body.status).toBe('rejected')

    // A conversion's own page names the rules it tripped.
    await page.goto(`${t.url}/conversions/${ids[2]}`)
    await page.getByText('Fraud flags:').waitFor()
    await page
      .getByText(/min_ctit_seconds: \d+ \/ 3600/)
      .first()
      .waitFor()

    // The offer page shows its caps and what today (in Tokyo) has used.
    await page.goto(`${t.url}/offers/${offer.id}`)
    const caps = page.getByRole('region', { name: 'Cap usage' })
    await caps.getByRole('cell', { name: 'conversions' }).waitFor()
    await caps.getByText('Asia/Tokyo day', { exact: false }).waitFor()
    await caps.scrollIntoViewIfNeeded()
    await inspect(page, name('offer-caps'))
    // Navigation reaches the queue for a manager.
    await openFromNavigation(page, 'Review queue')

    // The network's rules: turn the bot rule on, to reject.
    await openFromNavigation(page, 'Fraud rules')
    await page.getByRole('combobox', { name: 'Click flagged as a bot' }).click()
    await page.getByRole('option', { name: 'Reject', exact: true }).click()
    await inspect(page, name('fraud-rules'))
    await page.getByRole('button', { name: 'Save rules' }).click()
    await page.getByText('Fraud rules saved').waitFor()
    const rules = await t.request('GET', '/api/v1/settings/fraud')
    expect(rules.body).toEqual({ bot_click: { action: 'reject' } })
  }, 150_000)
})
