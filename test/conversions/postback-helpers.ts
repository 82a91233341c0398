import { expect } from 'vitest'
import { encodeClickId, loadClickSecret } from '../../src/clicks/index.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import type { HttpResult, TestServer } from '../helpers/test-server.ts'

/** An advertiser, offer and affiliate; `offer` overrides the offer's fields. */
export async function setUp(t: TestServer, offer: Record<string, unknown> = {}) {
  const catalog = await createCatalog(t, offer)
  return { ...catalog, token: catalog.advertiser.postback_token as string }
}

/** A real click through the tracking link; returns the click id from the redirect. */
export async function click(
  t: Pick<TestServer, 'url'>,
  offerId: string,
  affiliateId: string,
  query: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<string> {
  const search = new URLSearchParams({ aff_id: affiliateId, ...query })
  const response = await fetch(`${t.url}/c/${offerId}?${search}`, { redirect: 'manual', headers })
  expect(response.status).toBe(302)
  const clickId = new URL(response.headers.get('location')!).searchParams.get('cid')
  expect(clickId).toBeTruthy()
  return clickId!
}

/** A click id minted for a time of our choosing, with no click row behind it. */
export async function mintClickId(
  t: TestServer,
  offerId: string,
  affiliateId: string,
  clickedAt: number,
): Promise<string> {
  const secret = await loadClickSecret(t.server.database.db)
  return encodeClickId(secret, {
    offerId: Number(offerId),
    affiliateId: Number(affiliateId),
    clickedAt,
  })
}

/** `GET /postback?…` with the parameters in the query string. */
export function postbackGet(
  t: TestServer,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return t.request('GET', `/postback?${new URLSearchParams(params)}`, { key: null, headers })
}

/** `POST /postback` with a raw body of the given content type. */
export function postbackPost(
  t: TestServer,
  body: string,
  contentType: string,
  options: { query?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  return t.request('POST', `/postback${options.query ? `?${options.query}` : ''}`, {
    key: null,
    body,
    headers: { 'content-type': contentType, ...options.headers },
  })
}

export async function conversionCount(t: TestServer): Promise<number> {
  const row = await t.server.database.db
    .selectFrom('conversions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function lastLogLine(t: TestServer) {
  const log = await t.request('GET', '/api/v1/postback-log?limit=1')
  expect(log.status).toBe(200)
  return log.body.data[0]
}
