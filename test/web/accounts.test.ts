import { afterAll, beforeAll, beforeEach, expect, it, onTestFailed } from 'vitest'
import { base32Decode, totpCode } from '../../src/access/totp.ts'
import { ensureWebBuilt } from '../../web/tools/build-web.ts'
import { as, invite, login, PASSWORD } from '../access/people.ts'
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

describeEachEngine('people signing in to the console', (engine) => {
  let t: TestServer
  let browser: Browser
  const name = (page: string) => `${engine}-accounts-${page}`
  beforeAll(async () => {
    t = await startTestServer(engine)
    browser = await openBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })
  beforeEach(async () => {
    await browser.context.clearCookies()
    onTestFailed(() => screenshot(browser.page, name('failure')))
  })

  async function signIn(email: string, password = PASSWORD) {
    const { page } = browser
    await field(page, 'Email').fill(email)
    await field(page, 'Password').fill(password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  }

  it('lets an invited manager sign in with a password, write with the session, and sign out', async () => {
    const { page } = browser
    await invite(t, { email: 'mia@example.test', name: 'Mia', role: 'manager' })

    await page.goto(`${t.url}/advertisers`)
    await page.getByRole('heading', { name: 'Sign in to Backtrack' }).waitFor()
    await signIn('mia@example.test', 'not the passphrase at all')
    // The API's own words for a refused sign-in.
    await page.getByRole('alert').getByText('email or password is wrong').waitFor()

    await signIn('mia@example.test')
    await page.getByRole('heading', { name: 'Advertisers', level: 1 }).waitFor()
    await page.getByText('mia@example.test (manager)').waitFor()
    // A manager runs the network, but does not manage people.
    const navigation = page.getByRole('navigation')
    await navigation.getByRole('link', { name: 'Audit log' }).waitFor()
    expect(await navigation.getByRole('link', { name: 'Users' }).count()).toBe(0)

    // A write through the form: the session cookie and the CSRF token together.
    await page.getByRole('link', { name: 'New advertiser' }).click()
    await field(page, 'Name').fill('Cookie Shoes')
    await page.getByRole('button', { name: 'Create advertiser' }).click()
    await page.getByRole('heading', { name: 'Edit advertiser' }).waitFor()
    await openFromNavigation(page, 'Advertisers')
    await page.getByRole('link', { name: 'Cookie Shoes' }).waitFor()
    await inspect(page, name('manager-advertisers'))

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Sign in to Backtrack' }).waitFor()
    // The session is over on the server too: a fresh load is signed out.
    await page.goto(`${t.url}/advertisers`)
    await page.getByRole('heading', { name: 'Sign in to Backtrack' }).waitFor()
  }, 120_000)

  it('asks for the authenticator code when the account has two-factor on', async () => {
    const { page } = browser
    await invite(t, { email: 'otto@example.test', role: 'manager' })
    const session = await login(t, 'otto@example.test')
    const setup = await t.request('POST', '/api/v1/me/totp', as(session))
    const secret = base32Decode(setup.body.secret)
    const confirmed = await t.request('POST', '/api/v1/me/totp/confirm', {
      ...as(session),
      body: { code: totpCode(secret, Date.now()) },
    })
    expect(confirmed.status).toBe(200)

    await page.goto(`${t.url}/offers`)
    await signIn('otto@example.test')
    await page
      .getByRole('alert')
      .getByText(/send the code/)
      .waitFor()
    await inspect(page, name('sign-in-code'))
    // The next 30-second step's code: the one confirming two-factor is used up.
    await field(page, 'Code').fill(totpCode(secret, Date.now() + 30_000))
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: 'Offers', level: 1 }).waitFor()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Sign in to Backtrack' }).waitFor()
  }, 120_000)

  it('shows an analyst the catalog without create or edit buttons, and the API refuses its writes', async () => {
    const { page } = browser
    const advertiser = await t.request('POST', '/api/v1/advertisers', {
      body: { name: 'Read Only Co' },
    })
    await t.request('POST', '/api/v1/offers', {
      body: {
        advertiser_id: advertiser.body.id,
        name: 'Looked-at offer',
        destination_url: 'https://shop.example/?cid={click_id}',
        revenue: 2,
        payout: 1,
      },
    })
    await t.request('POST', '/api/v1/affiliates', { body: { name: 'Watched Media' } })
    await invite(t, { email: 'ana@example.test', role: 'analyst' })

    await page.goto(`${t.url}/offers`)
    await signIn('ana@example.test')
    await page.getByRole('heading', { name: 'Offers', level: 1 }).waitFor()
    for (const [pageName, row, create] of [
      ['Offers', 'Looked-at offer', 'New offer'],
      ['Advertisers', 'Read Only Co', 'New advertiser'],
      ['Affiliates', 'Watched Media', 'New affiliate'],
    ] as const) {
      await openFromNavigation(page, pageName)
      await page.getByRole('cell', { name: row }).waitFor()
      expect(await page.getByRole('link', { name: row }).count()).toBe(0)
      expect(await page.getByRole('link', { name: create }).count()).toBe(0)
      await inspect(page, name(`analyst-${pageName.toLowerCase()}`))
    }
    const navigation = page.getByRole('navigation')
    for (const hidden of ['Users', 'Audit log']) {
      expect(await navigation.getByRole('link', { name: hidden }).count()).toBe(0)
    }

    // An edit page opened by its address reads, but offers nothing to save.
    await page.goto(`${t.url}/advertisers/${advertiser.body.id}`)
    await page.getByText('Your role may read this, not change it.').waitFor()
    expect(await field(page, 'Name').isDisabled()).toBe(true)
    expect(await page.getByRole('button', { name: 'Save advertiser' }).count()).toBe(0)
    await inspect(page, name('analyst-advertiser'))

    // The server refuses too: a write with this browser's session and its CSRF token.
    const status = await page.evaluate(async () => {
      const me = (await (await fetch('/api/v1/me')).json()) as { csrf_token: string }
      const res = await fetch('/api/v1/advertisers', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf_token },
        body: JSON.stringify({ name: 'Not allowed' }),
      })
      return res.status
    })
    expect(status).toBe(403)
  }, 120_000)
})
