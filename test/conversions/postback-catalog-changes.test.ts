import { afterEach, expect, it } from 'vitest'
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/engines.ts'
import { type Child, databaseEnv, serveProcess } from '../helpers/processes.ts'
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { click, postbackGet, setUp } from './postback-helpers.ts'

// The postback route keeps offers, advertisers and goals in memory; these are the ways a change
// must still reach it.
describeEachEngine('inbound postback: catalog changes', (engine) => {
  let t: TestServer | undefined
  let database: TestDatabase | undefined
  const children: Child[] = []
  afterEach(async () => {
    await t?.close()
    for (const child of children.splice(0)) await child.stop()
    await database?.drop()
    t = undefined
    database = undefined
  })

  it('refuses the old token at once after it is regenerated, and accepts the new one', async () => {
    t = await startTestServer(engine)
    const { offer, affiliate, advertiser, token } = await setUp(t)
    const clickId = await click(t, offer.id, affiliate.id)
    expect((await postbackGet(t, { click_id: clickId, token, txid: 'a' })).status).toBe(200)
    const patched = await t.request('PATCH', `/api/v1/advertisers/${advertiser.id}`, {
      body: { regenerate_postback_token: true },
    })
    const fresh = patched.body.postback_token as string
    expect(fresh).not.toBe(token)
    const old = await postbackGet(t, { click_id: clickId, token, txid: 'b' })
    expect(old.status).toBe(401)
    expect((await postbackGet(t, { click_id: clickId, token: fresh, txid: 'b' })).status).toBe(200)
  })

  it('uses a goal at once after it is added to the offer', async () => {
    t = await startTestServer(engine)
    const { offer, affiliate, token } = await setUp(t)
    const clickId = await click(t, offer.id, affiliate.id)
    const before = await postbackGet(t, { click_id: clickId, token, goal: 'upsell' })
    expect(before.body.error.code).toBe('unknown_goal')
    await t.request('PATCH', `/api/v1/offers/${offer.id}`, {
      body: { goals: [{ key: 'upsell', revenue: 3, payout: 2 }] },
    })
    const after = await postbackGet(t, { click_id: clickId, token, goal: 'upsell' })
    expect(after.status, JSON.stringify(after.body)).toBe(200)
  })

  it('refuses the old token within two seconds in another process on the same database', async () => {
    database = await createTestDatabase(engine)
    const start = async () => {
      const server = await serveProcess(databaseEnv(database!.config))
      children.push(server.child)
      return server.url
    }
    const [first, second] = [await start(), await start()]
    const api = async (method: string, path: string, body: unknown) => {
      const response = await fetch(`${first}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      expect(response.ok).toBe(true)
      return (await response.json()) as Record<string, string>
    }
    const advertiser = await api('POST', '/advertisers', { name: 'Acme' })
    const offer = await api('POST', '/offers', {
      advertiser_id: advertiser.id,
      name: 'Shoes',
      destination_url: 'https://shop.example/?cid={click_id}',
      revenue: 2,
      payout: 1,
    })
    const affiliate = await api('POST', '/affiliates', { name: 'Traffic' })
    const clicked = await fetch(`${first}/c/${offer.id}?aff_id=${affiliate.id}`, {
      redirect: 'manual',
    })
    const clickId = new URL(clicked.headers.get('location')!).searchParams.get('cid')!
    const postback = (token: string) =>
      fetch(`${second}/postback?${new URLSearchParams({ click_id: clickId, token, txid: 'x' })}`)
    // The second process now holds the advertiser, token included, in memory.
    expect((await postback(advertiser.postback_token!)).status).toBe(200)
    await api('PATCH', `/advertisers/${advertiser.id}`, { regenerate_postback_token: true })
    const status = await waitFor(
      async () => {
        const { status } = await postback(advertiser.postback_token!)
        return status !== 200 && status
      },
      { timeoutMs: 2000, message: 'the second process to refuse the old token' },
    )
    expect(status).toBe(401)
  })
})
