import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest'
import { ensureWebBuilt } from '../../web/tools/build-web.ts'
import { invite, PASSWORD } from '../access/people.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
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

describeEachEngine('the blocklist page and offer targeting', (engine) => {
  let t: TestServer
  let browser: Browser
  const name = (page: string) => `${engine}-fraud-${page}`
  beforeAll(async () => {
    t = await startTestServer(engine)
    browser = await openBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('lets a manager block a range, filter the list by type, and remove the entry', async () => {
    const { page } = browser
    onTestFailed(() => screenshot(page, name('failure')))
    await invite(t, { email: 'manager@example.test', role: 'manager' })
    await page.goto(`${t.url}/`)
    await field(page, 'Email').fill('manager@example.test')
    await field(page, 'Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await openFromNavigation(page, 'Blocklist')
    await page.getByText('Nothing blocked').waitFor()
    await inspect(page, name('empty'))

    const form = page.getByRole('form', { name: 'Add to the blocklist' })
    await field(form, 'Block by').click()
    await page.getByRole('option', { name: 'IP range (CIDR)' }).click()
    await field(form, 'Value').fill('203.0.113.0/24')
    await form.getByRole('button', { name: 'Add' }).click()
    await page.getByRole('cell', { name: '203.0.113.0/24', exact: true }).waitFor()
    await page.getByRole('cell', { name: 'every offer', exact: true }).waitFor()
    const listed = await t.request('GET', '/api/v1/blocklist')
    expect(listed.body.data).toMatchObject([{ type: 'cidr', value: '203.0.113.0/24' }])

    // A bad value: the API's message, and nothing stored.
    await field(form, 'Block by').click()
    await page.getByRole('option', { name: 'IP address' }).click()
    await field(form, 'Value').fill('not-an-ip')
    await form.getByRole('button', { name: 'Add' }).click()
    await page.getByText('"not-an-ip" is not an IP address').first().waitFor()
    await inspect(page, name('listed'))

    await page.getByRole('combobox', { name: 'Type' }).click()
    await page.getByRole('option', { name: 'User agent contains' }).click()
    await page.waitForURL(/type=user_agent/)
    await page.getByText('Nothing blocked').waitFor()
    await page.getByRole('combobox', { name: 'Type' }).click()
    await page.getByRole('option', { name: 'IP range (CIDR)' }).click()
    await page.waitForURL(/type=cidr/)
    await page.getByRole('button', { name: 'Remove IP range (CIDR) 203.0.113.0/24' }).click()
    await page.getByText('Nothing blocked').waitFor()
    expect((await t.request('GET', '/api/v1/blocklist')).body.data).toEqual([])
  }, 90_000)

  it('saves targeting and caps from the offer form', async () => {
    const { page } = browser
    onTestFailed(() => screenshot(page, name('offer-failure')))
    const { offer } = await createCatalog(t)
    await page.goto(`${t.url}/offers/${offer.id}`)
    await page.getByRole('heading', { name: 'Edit offer', level: 1 }).waitFor()
    await field(page, 'Time zone').fill('Europe/Berlin')
    const countries = page.getByRole('combobox', { name: 'Allowed countries' })
    await countries.fill('de')
    await countries.press('Enter')
    await countries.fill('AT')
    await countries.press('Enter')
    await page.getByRole('button', { name: 'Add schedule window' }).click()
    await page.getByRole('button', { name: 'Add cap' }).click()
    await field(page, 'Cap 1 limit').fill('500')
    await inspect(page, name('offer-form'))
    await page.getByRole('button', { name: 'Save offer' }).click()
    await page.getByText('Offer saved').waitFor()
    const saved = await t.request('GET', `/api/v1/offers/${offer.id}`)
    expect(saved.body).toMatchObject({
      time_zone: 'Europe/Berlin',
      targeting: {
        countries: { allow: ['DE', 'AT'] },
        schedule: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }],
      },
      caps: [{ metric: 'clicks', period: 'day', limit: 500, affiliate_id: null }],
    })

    // An unknown country comes back as the API's message.
    await countries.fill('XX')
    await countries.press('Enter')
    await page.getByRole('button', { name: 'Save offer' }).click()
    await page
      .getByText(/"XX" is not an ISO 3166-1 country code/)
      .first()
      .waitFor()
    await inspect(page, name('offer-refused'))
  }, 90_000)
})
