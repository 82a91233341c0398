import { randomBytes } from 'node:crypto'
import type { Principal } from '../access/index.ts'
import type { Db } from '../db/database.ts'
import { AppError } from '../http/errors.ts'
import { formatId } from '../shared/ids.ts'
import { macrosForOwner } from './endpoint-macros.ts'
import { renderRequest } from './render-request.ts'
import type { AttemptSender } from './send-attempt.ts'
import { signingSecrets } from './sending-endpoint.ts'

/**
 * Sends a sample delivery to an endpoint now, through the same client, SSRF guard and signing as
 * real ones, and returns what was sent and what came back. Nothing is queued or recorded.
 */
export async function testEndpoint(
  db: Db,
  sender: AttemptSender,
  id: number,
  principal: Principal,
) {
  let select = db.selectFrom('postbacks').selectAll().where('id', '=', id)
  if (principal.role === 'affiliate') {
    select = select.where('affiliate_id', '=', principal.affiliateId)
  }
  if (principal.role === 'advertiser') {
    select = select.where('advertiser_id', '=', principal.advertiserId)
  }
  const endpoint = await select.where('deleted_at', 'is', null).executeTakeFirst()
  if (!endpoint) throw new AppError('not_found', `postback ${id} not found`)
  const now = Date.now()
  const eventId = `evt_test_${randomBytes(8).toString('hex')}`
  const { names, values } = macrosForOwner(endpoint, {
    ...sampleMacros(now),
    offer_id: endpoint.offer_id === null ? '1' : formatId(endpoint.offer_id),
    affiliate_id: endpoint.affiliate_id === null ? '1' : formatId(endpoint.affiliate_id),
    event_id: eventId,
  })
  const request = renderRequest(endpoint, values, names)
  const result = await sender.send({
    ...request,
    event_id: eventId,
    secrets: signingSecrets(endpoint, now),
  })
  return {
    request: { ...request, headers: result.request_headers },
    response: {
      outcome: result.outcome,
      status_code: result.status_code,
      headers: result.response_headers,
      body: result.response_body,
      duration_ms: result.duration_ms,
      error: result.error,
    },
  }
}

function sampleMacros(now: number): Record<string, string> {
  return {
    click_id: 'TEST_CLICK_ID',
    conversion_id: '0',
    txid: 'TEST_TXID',
    goal: 'default',
    status: 'approved',
    payout: '1.00',
    revenue: '1.50',
    amount: '10.00',
    currency: 'USD',
    sub1: 'test',
    source: 'test',
    country: 'US',
    timestamp: String(Math.floor(now / 1000)),
  }
}
