import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest'
import { base32Decode, totpCode } from '../../src/access/totp.ts'
import { ensureWebBuilt } from '../../web/tools/build-web.ts'
import { invite, PASSWORD } from '../access/people.ts'
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

describeEachEngine('two-factor required of staff', (engine) => {
  let t: TestServer
  let browser: Browser
  const name = (page: string) => `${engine}-two-factor-${page}`
  beforeAll(async () => {
    t = await startTestServer(engine, { BACKTRACK_REQUIRE_2FA: 'staff' })
    browser = await openBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('takes a manager to set it up first, then opens the console', async () => {
    const { page } = browser
    onTestFailed(() => screenshot(page, name('failure')))
    await invite(t, { email: 'sam@example.test', role: 'manager' })

    await page.goto(`${t.url}/offers`)
    await field(page, 'Email').fill('sam@example.test')
    await field(page, 'Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: 'Two-factor', level: 1 }).waitFor()
    await page.getByText('Set up two-factor to continue').waitFor()
    const navigation = page.getByRole('navigation')
    expect(await navigation.getByRole('link', { name: 'Offers' }).count()).toBe(0)
    await inspect(page, name('required'))

    await page.getByRole('button', { name: 'Set up two-factor' }).click()
    const secret = await field(page, 'Secret').inputValue()
    await field(page, 'Code').fill(totpCode(base32Decode(secret), Date.now()))
    await page.getByRole('button', { name: 'Turn two-factor on' }).click()
    const codes = page.getByRole('region', { name: 'Recovery codes' })
    await codes.waitFor()
    expect(await codes.getByRole('listitem').count()).toBe(10)
    await inspect(page, name('on'))

    // Set up, the rest of the console opens.
    await openFromNavigation(page, 'Offers')
    await page.getByText('No offers yet').waitFor()
  }, 120_000)
})
