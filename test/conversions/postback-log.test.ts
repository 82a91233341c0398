import { afterEach, beforeEach, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { pruneAll } from '../../src/conversions/postback-log-pruner.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { click, lastLogLine, postbackGet, postbackPost, setUp } from './postback-helpers.ts'

const DAY_MS = 86_400_000

describeEachEngine('inbound postback log', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    // The server's own pruner (5 s after start) would race the test's pruning of the same lines.
    t = await startTestServer(engine, { BACKTRACK_POSTBACK_LOG_RETENTION_DAYS: '0' })
  })
  afterEach(() => t.close())

  it('logs every call with its result, and filters by result, offer, click and time', async () => {
    const { offer, affiliate, token, advertiser } = await setUp(t)
    const clickId = await click(t, offer.id, affiliate.id)
    const accepted = await postbackGet(t, { click_id: clickId, txid: 'L1', token })
    await postbackGet(t, { click_id: clickId, txid: 'L1', token })
    await postbackGet(t, { click_id: clickId, token: 'wrong' })
    await postbackPost(t, '{oops', 'application/json', { query: 'x=1' })

    const all = (await t.request('GET', '/api/v1/postback-log')).body.data
    expect(all.map((line: { result: string }) => line.result)).toEqual([
      'error',
      'error',
      'duplicate',
      'accepted',
    ])
    expect(all[0]).toMatchObject({
      method: 'POST',
      http_status: 400,
      reason: 'invalid_json',
      params: { x: '1' },
      conversion_id: null,
      click_id: null,
    })
    expect(all[1]).toMatchObject({
      http_status: 401,
      reason: 'invalid_token',
      click_id: clickId,
      offer_id: offer.id,
      advertiser_id: advertiser.id,
      params: { click_id: clickId, token: '***' },
    })
    expect(all[1].message).toMatch(/token/)
    expect(all[2]).toMatchObject({
      result: 'duplicate',
      reason: 'duplicate_txid',
      conversion_id: accepted.body.conversion_id,
    })
    expect(all[3]).toMatchObject({
      result: 'accepted',
      http_status: 200,
      auth: 'token',
      conversion_id: accepted.body.conversion_id,
      params: { click_id: clickId, txid: 'L1', token: '***' },
    })
    expect(Date.parse(all[3].at)).toBeGreaterThan(Date.now() - 60_000)

    const list = async (query: string) =>
      (await t.request('GET', `/api/v1/postback-log?${query}`)).body.data.length
    expect(await list('result=error')).toBe(2)
    expect(await list('reason=invalid_token')).toBe(1)
    expect(await list(`offer_id=${offer.id}`)).toBe(3)
    expect(await list(`advertiser_id=${advertiser.id}`)).toBe(3)
    expect(await list(`click_id=${clickId}`)).toBe(3)
    expect(await list(`conversion_id=${accepted.body.conversion_id}`)).toBe(2)
    expect(await list('to=2020-01-01')).toBe(0)
    expect(await list(`from=${new Date().toISOString().slice(0, 10)}`)).toBe(4)
    expect(await list('limit=3')).toBe(3)
    expect((await t.request('GET', '/api/v1/postback-log?result=nope')).status).toBe(400)
  })

  it('logs a refused call with its error code and what was found before the refusal', async () => {
    const { offer, affiliate, token, advertiser } = await setUp(t)
    const clickId = await click(t, offer.id, affiliate.id)
    const body = JSON.stringify({ click_id: clickId, goal: 'nope', token })
    const refused = await postbackPost(t, body, 'application/json', { query: 'from=query' })
    expect(refused.status).toBe(400)
    expect(refused.body.error.code).toBe('unknown_goal')
    const line = await lastLogLine(t)
    expect(line).toMatchObject({
      method: 'POST',
      http_status: 400,
      result: 'error',
      reason: 'unknown_goal',
      message: refused.body.error.message,
      auth: 'token',
      click_id: clickId,
      offer_id: offer.id,
      advertiser_id: advertiser.id,
      conversion_id: null,
      params: { from: 'query', click_id: clickId, goal: 'nope', token: '***' },
    })

    // Refused by Fastify before the handler runs: only the query string is known.
    const wrongType = await postbackPost(t, body, 'text/plain', { query: `click_id=${clickId}` })
    expect(wrongType.body.error.code).toBe('unsupported_content_type')
    expect(await lastLogLine(t)).toMatchObject({
      http_status: 400,
      reason: 'unsupported_content_type',
      message: wrongType.body.error.message,
      params: { click_id: clickId },
      click_id: null,
      auth: null,
    })
  })

  it('prunes lines older than the retention in batches and keeps the rest', async () => {
    const db = t.server.database.db
    const now = Date.now()
    const line = (createdAt: number) => ({
      created_at: createdAt,
      method: 'GET',
      ip: '127.0.0.1',
      params: '{}',
      auth: null,
      http_status: 400,
      result: 'error' as const,
      reason: 'missing_click_id',
      message: null,
      conversion_id: null,
      click_id: null,
      offer_id: null,
      advertiser_id: null,
    })
    const old = Array.from({ length: 2500 }, (_, i) => line(now - 40 * DAY_MS + i))
    for (let i = 0; i < old.length; i += 500) {
      await db
        .insertInto('postback_log')
        .values(old.slice(i, i + 500))
        .execute()
    }
    await db
      .insertInto('postback_log')
      .values([line(now - DAY_MS), line(now)])
      .execute()
    const deleted = await pruneAll(db, now - 30 * DAY_MS, () => false)
    expect(deleted).toBe(2500)
    const left = await db.selectFrom('postback_log').select('created_at').execute()
    expect(left.map((row) => row.created_at).sort()).toEqual([now - DAY_MS, now])
  })
})

it('reads the postback log retention from BACKTRACK_POSTBACK_LOG_RETENTION_DAYS', () => {
  expect(loadConfig({}).postbackLogRetentionDays).toBe(30)
  expect(loadConfig({ BACKTRACK_POSTBACK_LOG_RETENTION_DAYS: '7' }).postbackLogRetentionDays).toBe(
    7,
  )
  expect(loadConfig({ BACKTRACK_POSTBACK_LOG_RETENTION_DAYS: '0' }).postbackLogRetentionDays).toBe(
    0,
  )
  expect(() => loadConfig({ BACKTRACK_POSTBACK_LOG_RETENTION_DAYS: 'week' })).toThrow(
    'BACKTRACK_POSTBACK_LOG_RETENTION_DAYS',
  )
})
