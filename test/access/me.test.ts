import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { as, invite, login } from './people.ts'

describeEachEngine('GET /me', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine)
  })
  afterEach(() => t.close())

  it('names the role of the bootstrap admin key, which belongs to no user', async () => {
    const me = await t.request('GET', '/api/v1/me')
    expect(me.status).toBe(200)
    expect(me.body).toEqual({
      user: null,
      csrf_token: null,
      two_factor_setup_required: false,
      role: 'admin',
      affiliate_id: null,
      advertiser_id: null,
    })
  })

  it("names an affiliate key's role and its affiliate", async () => {
    const affiliate = await t.request('POST', '/api/v1/affiliates', { body: { name: 'Deals' } })
    expect(affiliate.status).toBe(201)
    const me = await t.request('GET', '/api/v1/me', { key: affiliate.body.api_key })
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({
      user: null,
      role: 'affiliate',
      affiliate_id: affiliate.body.id,
      advertiser_id: null,
    })
  })

  it("names a signed-in user's role, the same as its user's", async () => {
    await invite(t, { email: 'ana@example.com', role: 'analyst' })
    const session = await login(t, 'ana@example.com')
    const me = await t.request('GET', '/api/v1/me', as(session, false))
    expect(me.body).toMatchObject({ role: 'analyst', affiliate_id: null, advertiser_id: null })
    expect(me.body.user.role).toBe('analyst')
  })
})
