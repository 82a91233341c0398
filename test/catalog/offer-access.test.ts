import { afterEach, beforeEach, expect, it } from 'vitest'
import { click, postbackGet } from '../conversions/postback-helpers.ts'
import { type Receiver, startReceiver } from '../delivery/receiver.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { startTestServer, type TestServer } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'

describeEachEngine('offer access', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine, {
      BACKTRACK_RETRY_SCHEDULE: '100ms,200ms',
      BACKTRACK_ALLOW_PRIVATE_TARGETS: '1',
    })
  })
  afterEach(() => t.close())

  async function offer(fields: Record<string, unknown>) {
    const { advertiser } = await createCatalog(t)
    const res = await t.request('POST', '/api/v1/offers', {
      body: {
        advertiser_id: advertiser.id,
        name: `Offer ${fields.visibility ?? 'public'}`,
        destination_url: 'https://shop.example/?cid={click_id}',
        revenue: '3.00',
        payout: '1.75',
        ...fields,
      },
    })
    expect(res.status).toBe(201)
    return res.body
  }

  async function newAffiliate(name: string) {
    const res = await t.request('POST', '/api/v1/affiliates', { body: { name } })
    expect(res.status).toBe(201)
    return res.body as { id: string; api_key: string }
  }

  async function clickStatus(offerId: string, affiliateId: string) {
    const res = await fetch(`${t.url}/c/${offerId}?aff_id=${affiliateId}`, { redirect: 'manual' })
    return { status: res.status, location: res.headers.get('location') }
  }

  it('lists public and approval offers to an affiliate, private ones only once granted', async () => {
    const pub = await offer({})
    const approval = await offer({ visibility: 'approval' })
    const secret = await offer({ visibility: 'private' })
    expect(pub.visibility).toBe('public')
    const aff = await newAffiliate('Blue')
    const key = aff.api_key

    const list = await t.request('GET', '/api/v1/offers', { key })
    const seen = Object.fromEntries(
      list.body.data.map((o: { id: string; access: string }) => [o.id, o.access]),
    )
    expect(seen[pub.id]).toBe('granted')
    expect(seen[approval.id]).toBe('requestable')
    expect(seen[secret.id]).toBeUndefined()
    expect((await t.request('GET', `/api/v1/offers/${secret.id}`, { key })).status).toBe(404)
    const asked = await t.request('POST', `/api/v1/offers/${secret.id}/access-requests`, {
      key,
      body: {},
    })
    expect(asked.status).toBe(404)

    expect(
      (await t.request('PUT', `/api/v1/offers/${secret.id}/affiliates/${aff.id}`)).status,
    ).toBe(204)
    const granted = await t.request('GET', `/api/v1/offers/${secret.id}`, { key })
    expect(granted.body.access).toBe('granted')
    expect(granted.body.tracking_url).toMatch(new RegExp(`/c/${secret.id}\\?aff_id=${aff.id}$`))
    // staff see the visibility, never an `access` of their own
    const staff = await t.request('GET', `/api/v1/offers/${secret.id}`)
    expect(staff.body).toMatchObject({ visibility: 'private' })
    expect(staff.body.access).toBeUndefined()
    expect(staff.body.tracking_url).toContain('aff_id={affiliate_id}')
  })

  it('sends a click without access where a paused offer would, and one with access through', async () => {
    const closed = await offer({ visibility: 'approval' })
    const withFallback = await offer({
      visibility: 'private',
      fallback_url: 'https://fallback.example/?o={offer_id}',
    })
    const aff = await newAffiliate('Blue')
    expect(await clickStatus(closed.id, aff.id)).toMatchObject({ status: 404 })
    expect(await clickStatus(withFallback.id, aff.id)).toEqual({
      status: 302,
      location: `https://fallback.example/?o=${withFallback.id}`,
    })
    await t.request('PUT', `/api/v1/offers/${closed.id}/affiliates/${aff.id}`)
    await t.request('PUT', `/api/v1/offers/${withFallback.id}/affiliates/${aff.id}`)
    expect((await clickStatus(closed.id, aff.id)).location).toMatch(/^https:\/\/shop\.example\//)
    expect((await clickStatus(withFallback.id, aff.id)).location).toMatch(/^https:\/\/shop/)
    const revoked = await t.request('DELETE', `/api/v1/offers/${closed.id}/affiliates/${aff.id}`)
    expect(revoked.status).toBe(204)
    expect(await clickStatus(closed.id, aff.id)).toMatchObject({ status: 404 })
    // Only the two clicks with access were recorded
    const stored = () => t.server.database.db.selectFrom('clicks').select('offer_id').execute()
    await waitFor(async () => (await stored()).length === 2, { message: 'two clicks stored' })
  })

  it('opens an offer to every affiliate once it is made public, and closes it when made private', async () => {
    const closed = await offer({ visibility: 'private' })
    const aff = await newAffiliate('Blue')
    expect((await clickStatus(closed.id, aff.id)).status).toBe(404)
    await t.request('PATCH', `/api/v1/offers/${closed.id}`, { body: { visibility: 'public' } })
    expect((await clickStatus(closed.id, aff.id)).status).toBe(302)
    await t.request('PATCH', `/api/v1/offers/${closed.id}`, { body: { visibility: 'private' } })
    expect((await clickStatus(closed.id, aff.id)).status).toBe(404)
    const listed = await t.request('GET', '/api/v1/offers', { key: aff.api_key })
    expect(listed.body.data.map((o: { id: string }) => o.id)).not.toContain(closed.id)
  })

  it('runs a request from pending to approved, with notes, and audit-logs the decision', async () => {
    const approval = await offer({ visibility: 'approval' })
    const aff = await newAffiliate('Blue')
    const other = await newAffiliate('Green')
    const key = aff.api_key
    const path = `/api/v1/offers/${approval.id}/access-requests`

    const created = await t.request('POST', path, { key, body: { note: 'email, US' } })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      offer_id: approval.id,
      affiliate_id: aff.id,
      state: 'pending',
      note: 'email, US',
    })
    const again = await t.request('POST', path, { key, body: {} })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('conflict')
    expect((await t.request('GET', `/api/v1/offers/${approval.id}`, { key })).body.access).toBe(
      'pending',
    )
    // A manager cannot ask on an affiliate's behalf; an unknown field is refused
    expect((await t.request('POST', path, { body: {} })).status).toBe(403)
    expect((await t.request('POST', path, { key, body: { x: 1 } })).status).toBe(400)

    // The other affiliate does not see it, whatever it filters by
    const theirs = await t.request('GET', `/api/v1/access-requests?affiliate_id=${aff.id}`, {
      key: other.api_key,
    })
    expect(theirs.body.data).toEqual([])
    const pending = await t.request('GET', '/api/v1/access-requests?state=pending')
    expect(pending.body.data.map((r: { id: string }) => r.id)).toEqual([created.body.id])

    const decide = (body: unknown, asKey?: string) =>
      t.request('PATCH', `/api/v1/access-requests/${created.body.id}`, { body, key: asKey })
    expect((await decide({ state: 'approved' }, key)).status).toBe(403)
    const approved = await decide({ state: 'approved', note: 'welcome' })
    expect(approved.status).toBe(200)
    expect(approved.body).toMatchObject({ state: 'approved', decision_note: 'welcome' })
    expect(approved.body.decided_at).toBeTruthy()
    expect((await decide({ state: 'declined' })).status).toBe(409)
    expect((await t.request('GET', `/api/v1/offers/${approval.id}`, { key })).body.access).toBe(
      'granted',
    )
    expect((await clickStatus(approval.id, aff.id)).status).toBe(302)
    expect((await t.request('POST', path, { key, body: {} })).status).toBe(409)

    const audit = await t.request('GET', '/api/v1/audit-log?entity=access_request')
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['approve', 'create'])
    expect(audit.body.data[0].changes.state).toEqual({ from: 'pending', to: 'approved' })
  })

  it('lets an affiliate ask again after a decline', async () => {
    const approval = await offer({ visibility: 'approval' })
    const aff = await newAffiliate('Blue')
    const key = aff.api_key
    const path = `/api/v1/offers/${approval.id}/access-requests`
    const first = await t.request('POST', path, { key, body: {} })
    const declined = await t.request('PATCH', `/api/v1/access-requests/${first.body.id}`, {
      body: { state: 'declined', note: 'not for adult traffic' },
    })
    expect(declined.body).toMatchObject({
      state: 'declined',
      decision_note: 'not for adult traffic',
    })
    const mine = await t.request('GET', `/api/v1/offers/${approval.id}`, { key })
    expect(mine.body.access).toBe('declined')
    expect((await clickStatus(approval.id, aff.id)).status).toBe(404)
    expect((await t.request('POST', path, { key, body: {} })).status).toBe(201)
    const audit = await t.request('GET', `/api/v1/audit-log?entity=offer&entity_id=${approval.id}`)
    expect(audit.status).toBe(200)
  })

  it('audit-logs grants and revokes on the offer', async () => {
    const closed = await offer({ visibility: 'private' })
    const aff = await newAffiliate('Blue')
    await t.request('PUT', `/api/v1/offers/${closed.id}/affiliates/${aff.id}`)
    await t.request('PUT', `/api/v1/offers/${closed.id}/affiliates/${aff.id}`)
    await t.request('DELETE', `/api/v1/offers/${closed.id}/affiliates/${aff.id}`)
    const audit = await t.request('GET', `/api/v1/audit-log?entity=offer&entity_id=${closed.id}`)
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual([
      'revoke_access',
      'grant_access',
      'create',
    ])
    expect((await t.request('PUT', `/api/v1/offers/${closed.id}/affiliates/999`)).status).toBe(404)
  })

  it('pays an affiliate its own payout in the conversion, the report and {payout}', async () => {
    const receiver: Receiver = await startReceiver()
    try {
      const o = await offer({
        payout: '1.75',
        goals: [
          { key: 'sale', revenue: 20, revenue_type: 'percent', payout: 10, payout_type: 'percent' },
        ],
      })
      const { advertiser } = await createCatalog(t)
      const token = (await t.request('GET', `/api/v1/advertisers/${o.advertiser_id}`)).body
        .postback_token as string
      expect(advertiser.id).not.toBe(o.advertiser_id)
      const mine = await newAffiliate('Blue')
      const other = await newAffiliate('Green')
      const set = (affiliateId: string, body: unknown) =>
        t.request('PUT', `/api/v1/offers/${o.id}/payouts/${affiliateId}`, { body })
      const every = await set(mine.id, { payout: '2.10' })
      expect(every.status).toBe(200)
      expect(every.body).toMatchObject({ goal: null, payout: 2.1, payout_type: 'fixed' })
      expect(
        (await set(mine.id, { payout: '12.5', payout_type: 'percent', goal: 'sale' })).status,
      ).toBe(200)
      expect((await set(mine.id, { payout: 1, goal: 'nope' })).body.error.code).toBe('unknown_goal')
      expect((await set(mine.id, { payout: '0.001' })).body.error.code).toBe('invalid_amount')
      expect((await set('999', { payout: 1 })).status).toBe(404)
      expect(
        (
          await t.request('PUT', `/api/v1/offers/${o.id}/payouts/${mine.id}`, {
            body: { payout: 1 },
            key: mine.api_key,
          })
        ).status,
      ).toBe(403)

      const listed = await t.request('GET', `/api/v1/offers/${o.id}/payouts`)
      expect(listed.body.data.map((r: { goal: string | null }) => r.goal)).toEqual([null, 'sale'])
      expect(
        (await t.request('GET', `/api/v1/offers/${o.id}/payouts`, { key: mine.api_key })).status,
      ).toBe(404)

      // Its own offer read shows its payout; another affiliate sees the offer's
      const seen = await t.request('GET', `/api/v1/offers/${o.id}`, { key: mine.api_key })
      expect(seen.body.payout).toBe(2.1)
      expect(seen.body.goals[0]).toMatchObject({
        key: 'sale',
        payout: 12.5,
        payout_type: 'percent',
      })
      const theirs = await t.request('GET', `/api/v1/offers/${o.id}`, { key: other.api_key })
      expect(theirs.body.payout).toBe(1.75)
      expect(theirs.body.goals[0].payout).toBe(10)

      for (const aff of [mine, other]) {
        await t.request('POST', '/api/v1/postbacks', {
          body: { affiliate_id: aff.id, url: `${receiver.url}/pb?a=${aff.id}&p={payout}&g={goal}` },
        })
      }
      const myClick = await click(t, o.id, mine.id)
      const theirClick = await click(t, o.id, other.id)
      for (const clickId of [myClick, theirClick]) {
        expect(
          (await postbackGet(t, { click_id: clickId, token, txid: `${clickId}-1` })).status,
        ).toBe(200)
        expect(
          (
            await postbackGet(t, {
              click_id: clickId,
              token,
              goal: 'sale',
              amount: '80.10',
              txid: `${clickId}-2`,
            })
          ).status,
        ).toBe(200)
      }
      const money = async (aff: string) =>
        (await t.request('GET', `/api/v1/conversions?affiliate_id=${aff}`)).body.data
          .map((c: { goal: string; payout: number }) => `${c.goal}:${c.payout}`)
          .sort()
      expect(await money(mine.id)).toEqual(['default:2.1', 'sale:10.01'])
      expect(await money(other.id)).toEqual(['default:1.75', 'sale:8.01'])

      await waitFor(() => receiver.received.length === 4, { message: 'four postbacks' })
      const calls = receiver.received.map((r) => r.url).sort()
      expect(calls).toEqual([
        `/pb?a=${mine.id}&p=10.01&g=sale`,
        `/pb?a=${mine.id}&p=2.10&g=default`,
        `/pb?a=${other.id}&p=1.75&g=default`,
        `/pb?a=${other.id}&p=8.01&g=sale`,
      ])
      const report = await t.request('GET', '/api/v1/reports?group_by=affiliate_id')
      const byAffiliate = Object.fromEntries(
        report.body.rows.map((r: { affiliate_id: string; payout: number }) => [
          r.affiliate_id,
          r.payout,
        ]),
      )
      expect(byAffiliate[mine.id]).toBe(12.11)
      expect(byAffiliate[other.id]).toBe(9.76)

      // Removing the rule for every goal leaves the sale rule; the offer's payout is back
      const removed = await t.request('DELETE', `/api/v1/offers/${o.id}/payouts/${mine.id}`)
      expect(removed.status).toBe(204)
      expect((await t.request('DELETE', `/api/v1/offers/${o.id}/payouts/${mine.id}`)).status).toBe(
        404,
      )
      const after = await t.request('GET', `/api/v1/offers/${o.id}`, { key: mine.api_key })
      expect(after.body.payout).toBe(1.75)
      expect(after.body.goals[0].payout).toBe(12.5)
    } finally {
      await receiver.close()
    }
  })
})
