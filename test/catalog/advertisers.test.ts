import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'

describeEachEngine('advertisers', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine)
  })
  afterEach(() => t.close())

  it('creates an advertiser with a generated token and a ready-to-copy postback URL', async () => {
    const res = await t.request('POST', '/api/v1/advertisers', {
      body: { name: 'Acme', postback_ip_allowlist: ['203.0.113.0/24', '2001:db8::1'] },
    })
    expect(res.status).toBe(201)
    expect(res.body.id).toMatch(/^\d+$/)
    expect(res.body.postback_token).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(res.body.postback_ip_allowlist).toEqual(['203.0.113.0/24', '2001:db8::1/128'])
    expect(res.body.postback_url).toBe(
      `${t.config.publicUrl}/postback?click_id={click_id}&txid={txid}&amount={amount}&status={status}&goal={goal}&token=${res.body.postback_token}`,
    )
    const read = await t.request('GET', `/api/v1/advertisers/${res.body.id}`)
    expect(read.body).toEqual(res.body)
  })

  it('updates the name and regenerates the token on request', async () => {
    const created = await t.request('POST', '/api/v1/advertisers', { body: { name: 'Acme' } })
    const res = await t.request('PATCH', `/api/v1/advertisers/${created.body.id}`, {
      body: { name: 'Acme Inc', regenerate_postback_token: true },
    })
    expect(res.status).toBe(200)
    expect(res.body.name).toBe('Acme Inc')
    expect(res.body.postback_token).not.toBe(created.body.postback_token)
  })

  it('lists in cursor pages, newest first', async () => {
    for (const name of ['a', 'b', 'c']) {
      await t.request('POST', '/api/v1/advertisers', { body: { name } })
    }
    const first = await t.request('GET', '/api/v1/advertisers?limit=2')
    expect(first.body.data.map((a: { name: string }) => a.name)).toEqual(['c', 'b'])
    expect(first.body.next_cursor).toEqual(expect.any(String))
    const second = await t.request(
      'GET',
      `/api/v1/advertisers?limit=2&cursor=${first.body.next_cursor}`,
    )
    expect(second.body.data.map((a: { name: string }) => a.name)).toEqual(['a'])
    expect(second.body.next_cursor).toBeNull()
  })

  it('refuses a missing name, a wrong type and a bad CIDR, storing nothing', async () => {
    const missing = await t.request('POST', '/api/v1/advertisers', { body: {} })
    expect(missing.status).toBe(400)
    expect(missing.body.error.code).toBe('validation_failed')
    expect(missing.body.error.details).toContainEqual({ field: 'name', message: 'is required' })
    const wrongType = await t.request('POST', '/api/v1/advertisers', { body: { name: 42 } })
    expect(wrongType.status).toBe(400)
    expect(wrongType.body.error.code).toBe('validation_failed')
    const badCidr = await t.request('POST', '/api/v1/advertisers', {
      body: { name: 'x', postback_ip_allowlist: ['10.0.0.0/33'] },
    })
    expect(badCidr.status).toBe(400)
    expect(badCidr.body.error.code).toBe('validation_failed')
    const list = await t.request('GET', '/api/v1/advertisers')
    expect(list.body.data).toEqual([])
  })

  it('answers 404 for an unknown or malformed id and 400 for a garbled cursor', async () => {
    expect((await t.request('GET', '/api/v1/advertisers/999')).status).toBe(404)
    const malformed = await t.request('GET', '/api/v1/advertisers/abc')
    expect(malformed.status).toBe(404)
    expect(malformed.body.error.code).toBe('not_found')
    const cursor = await t.request('GET', '/api/v1/advertisers?cursor=!!!')
    expect(cursor.status).toBe(400)
    expect(cursor.body.error.code).toBe('invalid_cursor')
  })
})
