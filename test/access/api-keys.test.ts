import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { as, invite, login } from './people.ts'

describeEachEngine('named API keys', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine)
  })
  afterEach(() => t.close())

  it('shows a key once, lists it with its last use, and stops it at once when deleted', async () => {
    const made = await t.request('POST', '/api/v1/api-keys', {
      body: { name: 'dashboards', role: 'analyst' },
    })
    expect(made.status).toBe(201)
    expect(made.body).toMatchObject({ name: 'dashboards', role: 'analyst', last_used_at: null })
    const { key, id } = made.body
    expect((await t.request('GET', '/api/v1/offers', { key })).status).toBe(200)
    const write = await t.request('POST', '/api/v1/advertisers', { key, body: { name: 'x' } })
    expect(write.status).toBe(403)

    const list = await t.request('GET', '/api/v1/api-keys')
    const listed = list.body.data.find((k: { id: string }) => k.id === id)
    expect(listed.last_used_at).not.toBeNull()
    expect(JSON.stringify(list.body)).not.toContain(key)

    expect((await t.request('DELETE', `/api/v1/api-keys/${id}`)).status).toBe(204)
    expect((await t.request('GET', '/api/v1/offers', { key })).status).toBe(401)
  })

  it('never makes a key wider than its maker; an affiliate user’s key is scoped like it', async () => {
    const { affiliate } = await createCatalog(t)
    await invite(t, { email: 'mgr@example.com', role: 'manager' })
    const manager = await login(t, 'mgr@example.com')
    const wider = await t.request('POST', '/api/v1/api-keys', {
      ...as(manager),
      body: { name: 'root', role: 'admin' },
    })
    expect(wider.status).toBe(403)
    const narrower = await t.request('POST', '/api/v1/api-keys', {
      ...as(manager),
      body: { name: 'reports', role: 'analyst' },
    })
    expect(narrower.status).toBe(201)

    await invite(t, { email: 'aff@example.com', role: 'affiliate', affiliate_id: affiliate.id })
    const aff = await login(t, 'aff@example.com')
    const own = await t.request('POST', '/api/v1/api-keys', { ...as(aff), body: { name: 'mine' } })
    expect(own.status).toBe(201)
    expect(own.body).toMatchObject({ role: 'affiliate', affiliate_id: affiliate.id })
    const staff = await t.request('POST', '/api/v1/api-keys', {
      ...as(aff),
      body: { name: 'x', role: 'analyst' },
    })
    expect(staff.status).toBe(403)
    const listed = await t.request('GET', '/api/v1/affiliates', { key: own.body.key })
    expect(listed.body.data.map((a: { id: string }) => a.id)).toEqual([affiliate.id])

    // Each sees its own keys; the manager cannot revoke the affiliate's.
    const mine = await t.request('GET', '/api/v1/api-keys', as(aff))
    expect(mine.body.data.map((k: { id: string }) => k.id)).toEqual([own.body.id])
    const revoke = await t.request('DELETE', `/api/v1/api-keys/${own.body.id}`, as(manager))
    expect(revoke.status).toBe(404)
  })

  it('stops the keys of a disabled user', async () => {
    const user = await invite(t, { email: 'an@example.com', role: 'analyst' })
    const analyst = await login(t, 'an@example.com')
    const made = await t.request('POST', '/api/v1/api-keys', {
      ...as(analyst),
      body: { name: 'k' },
    })
    expect((await t.request('GET', '/api/v1/offers', { key: made.body.key })).status).toBe(200)
    await t.request('PATCH', `/api/v1/users/${user.id}`, { body: { disabled: true } })
    expect((await t.request('GET', '/api/v1/offers', { key: made.body.key })).status).toBe(401)
  })

  it('stops the keys of a user demoted below them, and keeps those still within its role', async () => {
    const user = await invite(t, { email: 'mg@example.com', role: 'manager' })
    const manager = await login(t, 'mg@example.com')
    const make = async (role: string) =>
      (await t.request('POST', '/api/v1/api-keys', { ...as(manager), body: { name: role, role } }))
        .body.key as string
    const managerKey = await make('manager')
    const analystKey = await make('analyst')
    const write = (key: string) =>
      t.request('POST', '/api/v1/advertisers', { key, body: { name: 'x' } })
    expect((await write(managerKey)).status).toBe(201)

    await t.request('PATCH', `/api/v1/users/${user.id}`, { body: { role: 'analyst' } })
    expect((await write(managerKey)).status).toBe(401)
    expect((await t.request('GET', '/api/v1/offers', { key: analystKey })).status).toBe(200)
  })
})
