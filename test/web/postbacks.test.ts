import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest'
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

describeEachEngine('the postbacks page', (engine) => {
  let t: TestServer
  let browser: Browser
  const name = (page: string) => `${engine}-postbacks-${page}`
  beforeAll(async () => {
    // The test postback goes to this server's own /healthz, on loopback.
    t = await startTestServer(engine, { BACKTRACK_ALLOW_PRIVATE_TARGETS: '1' })
    browser = await openBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('lets an affiliate add its endpoint with macros, send a test, and enable it again', async () => {
    const { page } = browser
    onTestFailed(() => screenshot(page, name('failure')))
    const affiliate = await t.request('POST', '/api/v1/affiliates', {
      body: { name: 'Deal Hunters' },
    })
    await invite(t, {
      email: 'aff@example.test',
      role: 'affiliate',
      affiliate_id: affiliate.body.id,
    })

    await page.goto(`${t.url}/postbacks`)
    await field(page, 'Email').fill('aff@example.test')
    await field(page, 'Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: 'Postbacks', level: 1 }).waitFor()
    await page.getByText('No postbacks yet').waitFor()
    // An affiliate's navigation: its own things, not the network's.
    const navigation = page.getByRole('navigation')
    expect(await navigation.getByRole('link', { name: 'Advertisers' }).count()).toBe(0)
    expect(await navigation.getByRole('link', { name: 'Users' }).count()).toBe(0)
    await inspect(page, name('empty'))

    // An unknown macro is flagged while typing; the macro list adds known ones.
    await page.getByRole('link', { name: 'New postback' }).click()
    const url = field(page, 'URL')
    await url.fill(`${t.url}/healthz?tx={txid}&x={clickid}`)
    await page.getByText('Unknown macro: {clickid}').waitFor()
    expect(await url.getAttribute('aria-invalid')).toBe('true')
    await inspect(page, name('unknown-macro'))
    await url.fill(`${t.url}/healthz?tx={txid}&c=`)
    await page.getByRole('button', { name: '{click_id}' }).click()
    expect(await url.inputValue()).toBe(`${t.url}/healthz?tx={txid}&c={click_id}`)
    expect(await url.getAttribute('aria-invalid')).not.toBe('true')
    await page.getByRole('button', { name: 'Create postback' }).click()
    await page.getByRole('heading', { name: 'Edit postback', level: 1 }).waitFor()
    const id = /\/postbacks\/(\d+)$/.exec(page.url())?.[1]
    expect(id).toBeDefined()

    // "Send test": the request made and the answer, here /healthz's 200.
    await page.getByRole('button', { name: 'Send test' }).click()
    const result = page.getByRole('region', { name: 'Test result' })
    await result.getByText('status 200').waitFor()
    await result.getByText(/GET http:\/\/127\.0\.0\.1:\d+\/healthz\?tx=/).waitFor()
    await inspect(page, name('tested'))

    // Disabled (here by an admin), it says so, and "Enable again" resumes it.
    const disabled = await t.request('PATCH', `/api/v1/postbacks/${id}`, {
      body: { enabled: false },
    })
    expect(disabled.body.enabled).toBe(false)
    await page.reload()
    const health = page.getByRole('region', { name: 'Health' })
    await health.getByText('disabled', { exact: true }).waitFor()
    await inspect(page, name('disabled'))
    await health.getByRole('button', { name: 'Enable again' }).click()
    await health.getByText('healthy', { exact: true }).waitFor()
    expect((await t.request('GET', `/api/v1/postbacks/${id}`)).body.enabled).toBe(true)

    await openFromNavigation(page, 'Postbacks')
    const link = page.getByRole('link', { name: `${t.url}/healthz?tx={txid}&c={click_id}` })
    await link.waitFor()
    await inspect(page, name('list'))

    // Deleted after a second confirmation, it leaves the list.
    await link.click()
    await page.getByRole('heading', { name: 'Edit postback', level: 1 }).waitFor()
    await page.getByRole('button', { name: 'Delete postback' }).click()
    await page.getByRole('button', { name: 'Delete for good' }).click()
    await page.getByText('No postbacks yet').waitFor()
    expect((await t.request('GET', `/api/v1/postbacks/${id}`)).status).toBe(404)
  }, 120_000)
})
