import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest'
import { ensureWebBuilt } from '../../web/tools/build-web.ts'
import { invite, PASSWORD } from '../access/people.ts'
import { click, setUp } from '../conversions/postback-helpers.ts'
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

const run = promisify(execFile)

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}
const NODE = join(import.meta.dirname, '../../node_modules/.bin/node')

beforeAll(() => ensureWebBuilt(), 180_000)

describeEachEngine('the advertiser portal', (engine) => {
  let t: TestServer
  let browser: Browser
  const name = (page: string) => `${engine}-advertiser-${page}`
  beforeAll(async () => {
    // The examples name the public URL: this server's own, so they run against it as copied.
    const port = await freePort()
    t = await startTestServer(engine, {
      PORT: String(port),
      BACKTRACK_PUBLIC_URL: `http://127.0.0.1:${port}`,
      BACKTRACK_ALLOW_PRIVATE_TARGETS: '1',
    })
    browser = await openBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('lets an advertiser copy the signed Node.js example, run it, and see it accepted in its log', async () => {
    const { page, context } = browser
    onTestFailed(() => screenshot(page, name('failure')))
    const { advertiser, offer, affiliate } = await setUp(t)
    const other = await setUp(t)
    const clickId = await click(t, offer.id, affiliate.id)
    await click(t, other.offer.id, other.affiliate.id)
    await waitFor(
      async () =>
        (await t.request('GET', `/api/v1/advertisers/${advertiser.id}/latest-click`)).body
          .click_id === clickId,
    )
    await invite(t, {
      email: 'dev@acme.test',
      name: 'Acme dev',
      role: 'advertiser',
      advertiser_id: advertiser.id,
    })

    await page.goto(`${t.url}/`)
    await field(page, 'Email').fill('dev@acme.test')
    await field(page, 'Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor()
    await inspect(page, name('dashboard'))

    await openFromNavigation(page, 'Integration')
    await page.getByText(`Filled with your newest click (${clickId})`).waitFor()
    await inspect(page, name('integration'))
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url })
    await page.getByRole('tab', { name: 'Node.js' }).click()
    await page.getByRole('button', { name: 'Copy Node.js: signed POST example' }).click()
    await page.getByRole('tabpanel', { name: 'Node.js' }).getByText('Copied').waitFor()
    const example: string = await page.evaluate(
      // biome-ignore lint/suspicious/noExplicitAny: runs in the page, which has a clipboard
      () => (globalThis as any).navigator.clipboard.readText(),
    )
    expect(example).toContain('webhook-signature')
    expect(example).toContain(clickId)
    await inspect(page, name('integration-node'))

    // The example as copied, run by Node against this server.
    const dir = mkdtempSync(join(tmpdir(), 'backtrack-example-'))
    try {
      const file = join(dir, 'signed-postback.mjs')
      writeFileSync(file, example)
      const { stdout } = await run(NODE, [file], { timeout: 30_000 })
      expect(stdout).toMatch(/^200 /)
      expect(JSON.parse(stdout.slice(4))).toMatchObject({ result: 'accepted' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }

    await openFromNavigation(page, 'Postback log')
    const accepted = page.getByRole('row').filter({ hasText: clickId })
    await accepted.getByText('accepted', { exact: true }).waitFor()
    await inspect(page, name('postback-log'))
    // A refused call shows its reason in words, and the filter keeps to it.
    await fetch(`${t.url}/postback?click_id=${clickId}&token=wrong`)
    await page.reload()
    await page.getByText('Wrong or missing token').first().waitFor()
    await page.getByRole('combobox', { name: 'Result' }).click()
    await page.getByRole('option', { name: 'error' }).click()
    await page.waitForURL(/result=error/)
    await expect.poll(() => page.getByRole('row').count()).toBe(2)
    await inspect(page, name('postback-log-refused'))

    // The test button, against the same real click: recorded as rejected, so no money moves.
    await openFromNavigation(page, 'Integration')
    await page.getByRole('button', { name: 'Send a test postback' }).click()
    const answer = page.getByRole('status').filter({ hasText: 'Answer: HTTP 200' })
    await answer.waitFor()
    await answer.scrollIntoViewIfNeeded()
    await inspect(page, name('integration-test-sent'))

    await openFromNavigation(page, 'Offers')
    await page.getByRole('cell', { name: offer.name }).first().waitFor()
    expect(await page.getByRole('cell', { name: other.offer.name }).count()).toBe(1)
    await inspect(page, name('offers'))

    await openFromNavigation(page, 'Conversions')
    await page.getByRole('columnheader', { name: 'Reported revenue' }).waitFor()
    await expect.poll(() => page.getByRole('row').count()).toBe(2)
    expect(await page.getByRole('columnheader', { name: 'Payout' }).count()).toBe(0)
    expect(await page.getByRole('columnheader', { name: 'Affiliate' }).count()).toBe(0)
    expect(await page.getByText('Traffic Co').count()).toBe(0)
    await inspect(page, name('conversions'))

    await openFromNavigation(page, 'Reports')
    await page.getByRole('columnheader', { name: 'revenue' }).waitFor()
    expect(await page.getByRole('columnheader', { name: 'payout' }).count()).toBe(0)
    await inspect(page, name('reports'))

    await openFromNavigation(page, 'Postbacks')
    await page.getByText('No postbacks yet').waitFor()
    await inspect(page, name('postbacks-empty'))
    await page.getByRole('link', { name: 'New postback' }).click()
    await field(page, 'URL').fill('http://127.0.0.1:9/acme?r={revenue}&c={conversion_id}')
    await inspect(page, name('postback-new'))
    await page.getByRole('button', { name: 'Create postback' }).click()
    await page.getByRole('heading', { name: 'Edit postback', level: 1 }).waitFor()
    await inspect(page, name('postback-edit'))
    await openFromNavigation(page, 'Postbacks')
    await page.getByRole('cell', { name: 'You', exact: true }).waitFor()
    await inspect(page, name('postbacks'))

    await openFromNavigation(page, 'Deliveries')
    await inspect(page, name('deliveries'))
  }, 180_000)
})
