import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'

describeEachEngine('credentials by role', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine, { BACKTRACK_ALLOW_PRIVATE_TARGETS: '1' })
  })
  afterEach(() => t.close())

  const keyFor = async (role: string) =>
    (await t.request('POST', '/api/v1/api-keys', { body: { name: role, role } })).body.key as string

  it("shows an advertiser's postback token and an endpoint's signing secret to managers, not analysts", async () => {
    const { advertiser, affiliate } = await createCatalog(t)
    const endpoint = await t.request('POST', '/api/v1/postbacks', {
      body: { affiliate_id: affiliate.id, url: 'http://127.0.0.1:9/pb?c={click_id}', sign: true },
    })
    expect(endpoint.body.signing_secret).toMatch(/^whsec_/)
    const manager = await keyFor('manager')
    const analyst = await keyFor('analyst')

    const read = (path: string, key: string) => t.request('GET', path, { key })
    const managerView = await read(`/api/v1/advertisers/${advertiser.id}`, manager)
    expect(managerView.body.postback_token).toBe(advertiser.postback_token)
    expect((await read(`/api/v1/postbacks/${endpoint.body.id}`, manager)).body.signing_secret).toBe(
      endpoint.body.signing_secret,
    )

    for (const path of [
      `/api/v1/advertisers/${advertiser.id}`,
      '/api/v1/advertisers',
      `/api/v1/postbacks/${endpoint.body.id}`,
      '/api/v1/postbacks',
    ]) {
      const res = await read(path, analyst)
      expect(res.status, path).toBe(200)
      const text = JSON.stringify(res.body)
      expect(text, path).not.toContain(advertiser.postback_token)
      expect(text, path).not.toContain(endpoint.body.signing_secret)
      expect(text, path).not.toContain('postback_token')
      expect(text, path).not.toContain('signing_secret')
    }
    // The analyst still reads the rest.
    expect((await read(`/api/v1/advertisers/${advertiser.id}`, analyst)).body.name).toBe(
      advertiser.name,
    )
  })
})
