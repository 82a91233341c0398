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

describeEachEngine('the people pages', (engine) => {
  let t: TestServer
  let browser: Browser
  const name = (page: string) => `${engine}-people-${page}`
  beforeAll(async () => {
    t = await startTestServer(engine)
    browser = await openBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('let an admin invite, change and disable a user, make and revoke a key, and read the trail', async () => {
    const { page } = browser
    onTestFailed(() => screenshot(page, name('failure')))
    const admin = await invite(t, { email: 'ada@example.test', name: 'Ada', role: 'admin' })
    await page.goto(`${t.url}/users`)
    await field(page, 'Email').fill('ada@example.test')
    await field(page, 'Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor()
    await page.getByRole('cell', { name: 'ada@example.test', exact: true }).waitFor()
    await inspect(page, name('users'))

    // An invite: its one-time link works, once.
    const form = page.getByRole('form', { name: 'Invite a user' })
    await field(form, 'Email').fill('lee@example.test')
    await field(form, 'Name').fill('Lee')
    await form.getByRole('combobox', { name: 'Role' }).click()
    await page.getByRole('option', { name: /^manager/ }).click()
    await form.getByRole('button', { name: 'Invite user' }).click()
    const shown = page.getByRole('status').filter({ hasText: 'Invite link for lee@example.test' })
    await shown.waitFor()
    const link = await field(shown, 'Invite link').inputValue()
    const token = /#token=([\w-]+)/.exec(link)?.[1]
    expect(token).toBeDefined()
    await inspect(page, name('user-invited'))
    // Lee opens the link (on this server: the link names BACKTRACK_PUBLIC_URL) and sets a password.
    const invited = await browser.context.newPage()
    await invited.goto(`${t.url}/accept-invite#token=${token}`)
    await invited.getByRole('heading', { name: 'Set your password' }).waitFor()
    await field(invited, 'New password').fill('short')
    await field(invited, 'Repeat the password').fill('short')
    await invited.getByRole('button', { name: 'Set password' }).click()
    await invited.getByRole('alert').waitFor()
    await field(invited, 'New password').fill('another long passphrase')
    await field(invited, 'Repeat the password').fill('another long passphrase')
    await invited.getByRole('button', { name: 'Set password' }).click()
    await invited.getByRole('status').getByText('Your password is set').waitFor()
    await inspect(invited, name('invite-accepted'))
    await invited.close()
    const signedIn = await t.request('POST', '/api/v1/auth/login', {
      key: null,
      body: { email: 'lee@example.test', password: 'another long passphrase' },
    })
    expect(signedIn.status).toBe(200)
    const lee = (await t.request('GET', '/api/v1/users')).body.data.find(
      (u: { email: string }) => u.email === 'lee@example.test',
    )

    // A role changed, then the user disabled.
    await page.getByRole('combobox', { name: 'Role of lee@example.test' }).click()
    await page.getByRole('option', { name: 'analyst', exact: true }).click()
    await expect
      .poll(async () => (await t.request('GET', `/api/v1/users/${lee.id}`)).body.role)
      .toBe('analyst')
    await page.getByRole('button', { name: 'Disable lee@example.test' }).click()
    await page.getByRole('button', { name: 'Enable lee@example.test' }).waitFor()
    expect((await t.request('GET', `/api/v1/users/${lee.id}`)).body.disabled).toBe(true)
    await inspect(page, name('user-disabled'))

    // A key, shown once, that works until it is revoked.
    await openFromNavigation(page, 'API keys')
    await field(page, 'Name').fill('Nightly export')
    await page.getByRole('button', { name: 'Create key' }).click()
    const created = page.getByRole('status').filter({ hasText: 'Key "Nightly export" created' })
    await created.waitFor()
    const key = await field(created, 'API key').inputValue()
    expect(key).toMatch(/^bt_key_/)
    expect((await t.request('GET', '/api/v1/me', { key })).status).toBe(200)
    await page.getByRole('cell', { name: 'Nightly export', exact: true }).waitFor()
    await inspect(page, name('api-keys'))
    await page.getByRole('button', { name: 'Revoke Nightly export' }).click()
    await page
      .getByRole('cell', { name: 'Nightly export', exact: true })
      .waitFor({ state: 'detached' })
    expect((await t.request('GET', '/api/v1/me', { key })).status).toBe(401)

    // The trail: the role change, before and after, found by entity and id; the filters are the URL.
    await openFromNavigation(page, 'Audit log')
    await page.getByRole('combobox', { name: 'Entity' }).click()
    await page.getByRole('option', { name: 'user', exact: true }).click()
    await field(page, 'Entity id').fill(lee.id)
    await field(page, 'Actor id').fill(admin.id)
    const inUrl = (param: string) => new URL(page.url()).searchParams.get(param)
    await expect.poll(() => inUrl('actor_id')).toBe(admin.id)
    expect(inUrl('entity')).toBe('user')
    expect(inUrl('entity_id')).toBe(lee.id)
    await page.reload()
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor()
    expect(await field(page, 'Entity id').inputValue()).toBe(lee.id)
    // The update's row of fields: role, before, after.
    await page.getByRole('row', { name: 'role "manager" "analyst"', exact: true }).waitFor()
    await page.getByRole('row', { name: 'disabled false true', exact: true }).waitFor()
    await inspect(page, name('audit-log'))
  }, 120_000)
})
