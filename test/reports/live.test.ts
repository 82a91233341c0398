import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { recordLiveEvents } from '../../src/reports/index.ts'
import { GAP_WAIT_MS, takeInOrder } from '../../src/reports/live-order.ts'
import { clickIdOf } from '../clicks/stored-click.ts'
import { describeEachEngine } from '../helpers/engines.ts'
import { createCatalog } from '../helpers/fixtures.ts'
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'

interface SseMessage {
  id?: string
  event?: string
  data?: string
  comment?: string
}

/** A real SSE client over fetch: collects parsed messages until closed. */
function connect(url: string, key: string, lastEventId?: string) {
  const controller = new AbortController()
  const messages: SseMessage[] = []
  const headers: Record<string, string> = {
    authorization: `Bearer ${key}`,
    accept: 'text/event-stream',
  }
  if (lastEventId) headers['last-event-id'] = lastEventId
  const done = (async () => {
    const response = await fetch(`${url}/api/v1/live`, { headers, signal: controller.signal })
    expect(response.headers.get('content-type')).toContain('text/event-stream')
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk, { stream: true })
        let end = buffer.indexOf('\n\n')
        while (end >= 0) {
          const message: SseMessage = {}
          for (const line of buffer.slice(0, end).split('\n')) {
            if (line.startsWith(':')) message.comment = line.slice(1).trim()
            const [field, ...rest] = line.split(': ')
            if (field === 'id' || field === 'event' || field === 'data')
              message[field] = rest.join(': ')
          }
          messages.push(message)
          buffer = buffer.slice(end + 2)
          end = buffer.indexOf('\n\n')
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error
    }
  })()
  return { messages, close: () => controller.abort(), done }
}

describeEachEngine('live feed', (engine) => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(engine, { BACKTRACK_LIVE_HEARTBEAT: '200ms' })
  })
  afterEach(() => t.close())

  const events = (affiliateId: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      kind: 'conversion' as const,
      affiliateId,
      at: Date.now(),
      data: { n: i, affiliate_id: String(affiliateId), payout: 1.5, revenue: 2.5 },
    }))

  it('streams new events in order with heartbeats, and resumes after Last-Event-ID', async () => {
    const first = connect(t.url, TEST_ADMIN_KEY)
    await waitFor(() => first.messages.length > 0, { message: 'the stream to open' })
    await recordLiveEvents(t.server.database.db, events(1, 3))
    const data = () => first.messages.filter((m) => m.event === 'conversion')
    await waitFor(() => data().length === 3, { message: 'three events' })
    expect(data().map((m) => JSON.parse(m.data!).n)).toEqual([0, 1, 2])
    const ids = data().map((m) => Number(m.id))
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
    await waitFor(() => first.messages.some((m) => m.comment === 'heartbeat'), {
      message: 'a heartbeat',
    })
    first.close()
    await first.done

    const resumed = connect(t.url, TEST_ADMIN_KEY, String(ids[0]))
    await waitFor(() => resumed.messages.filter((m) => m.event === 'conversion').length === 2, {
      message: 'resume',
    })
    expect(resumed.messages.filter((m) => m.event).map((m) => Number(m.id))).toEqual(ids.slice(1))
    resumed.close()
    await resumed.done
  })

  it('sends each click of a batch row as an event of its own, and resumes inside the row', async () => {
    const stream = connect(t.url, TEST_ADMIN_KEY)
    await waitFor(() => stream.messages.length > 0, { message: 'the stream to open' })
    await recordLiveEvents(t.server.database.db, [
      { kind: 'clicks', affiliateId: 1, at: Date.now(), data: [{ n: 0 }, { n: 1 }, { n: 2 }] },
      ...events(1, 1),
    ])
    const seen = (messages: SseMessage[]) => messages.filter((m) => m.event)
    await waitFor(() => seen(stream.messages).length === 4, { message: 'four events' })
    stream.close()
    await stream.done
    const sent = seen(stream.messages)
    expect(sent.map((m) => m.event)).toEqual(['click', 'click', 'click', 'conversion'])
    expect(sent.map((m) => JSON.parse(m.data!).n)).toEqual([0, 1, 2, 0])
    const row = Number(sent[0]!.id!.split('-')[0])
    expect(sent.map((m) => m.id)).toEqual([`${row}-0`, `${row}-1`, `${row}-2`, String(row + 1)])

    // Each resumed stream gets a marker event recorded once it has caught up: events go out in
    // order, so when the marker arrives anything sent wrongly (a repeat, a skipped-over event)
    // would have come before it. Markers of earlier rounds are part of later backlogs.
    const markers: number[] = []
    for (const [after, rest] of [
      [`${row}-0`, [`${row}-1`, `${row}-2`, String(row + 1)]],
      [`${row}-2`, [String(row + 1)]],
      [String(row - 1), [`${row}-0`, `${row}-1`, `${row}-2`, String(row + 1)]],
    ] as const) {
      const resumed = connect(t.url, TEST_ADMIN_KEY, after)
      await waitFor(() => seen(resumed.messages).length >= rest.length + markers.length, {
        message: `resume after ${after}`,
      })
      markers.push(markers.length)
      await recordLiveEvents(t.server.database.db, [
        {
          kind: 'conversion',
          affiliateId: 1,
          at: Date.now(),
          data: { marker: markers.length - 1 },
        },
      ])
      await waitFor(
        () => seen(resumed.messages).some((m) => JSON.parse(m.data!).marker === markers.at(-1)),
        { message: `the marker after resuming after ${after}` },
      )
      resumed.close()
      await resumed.done
      const sent = seen(resumed.messages)
      expect(sent.slice(0, rest.length).map((m) => m.id)).toEqual(rest)
      expect(sent.slice(rest.length).map((m) => JSON.parse(m.data!).marker)).toEqual(markers)
    }
  })

  it('sends a backlog bigger than one poll in order, without losing or repeating events', async () => {
    const clicks = (row: number) => Array.from({ length: 3000 }, (_, n) => ({ row, n }))
    await recordLiveEvents(t.server.database.db, [
      { kind: 'clicks', affiliateId: 1, at: Date.now(), data: clicks(0) },
      { kind: 'clicks', affiliateId: 1, at: Date.now(), data: clicks(1) },
      { kind: 'clicks', affiliateId: 1, at: Date.now(), data: clicks(2) },
      ...events(1, 1),
    ])
    const first = await t.server.database.db
      .selectFrom('live_events')
      .select((eb) => eb.fn.min('id').as('id'))
      .executeTakeFirstOrThrow()
    const stream = connect(t.url, TEST_ADMIN_KEY, String(Number(first.id) - 1))
    const seen = () => stream.messages.filter((m) => m.event)
    await waitFor(() => seen().length === 9001, { message: 'the whole backlog' })
    stream.close()
    await stream.done
    const sent = seen()
    const data = sent.slice(0, 9000).map((m) => JSON.parse(m.data!))
    expect(data).toEqual([...clicks(0), ...clicks(1), ...clicks(2)])
    expect(sent[9000]!.event).toBe('conversion')
    expect(new Set(sent.map((m) => m.id)).size).toBe(9001)
  })

  it('shows a tracking-link click as a click event', async () => {
    const { offer, affiliate } = await createCatalog(t)
    const stream = connect(t.url, TEST_ADMIN_KEY)
    await waitFor(() => stream.messages.length > 0, { message: 'the stream to open' })
    const res = await fetch(`${t.url}/c/${offer.id}?aff_id=${affiliate.id}&sub1=live`, {
      redirect: 'manual',
    })
    const clickId = clickIdOf(res.headers.get('location'))
    await waitFor(() => stream.messages.some((m) => m.event === 'click'), { message: 'the click' })
    stream.close()
    await stream.done
    const click = stream.messages.find((m) => m.event === 'click')!
    expect(JSON.parse(click.data!)).toMatchObject({
      click_id: clickId,
      offer_id: offer.id,
      affiliate_id: affiliate.id,
      sub1: 'live',
    })
  })

  it("shows an affiliate key its own events only, without the network's revenue", async () => {
    const affiliate = await t.request('POST', '/api/v1/affiliates', { body: { name: 'A' } })
    const own = Number(affiliate.body.id)
    const stream = connect(t.url, affiliate.body.api_key)
    await waitFor(() => stream.messages.length > 0, { message: 'the stream to open' })
    await recordLiveEvents(t.server.database.db, [...events(own + 1, 2), ...events(own, 1)])
    await waitFor(() => stream.messages.some((m) => m.event === 'conversion'), {
      message: 'its event',
    })
    // Another affiliate's event, then one of its own as a marker: once the marker is here,
    // every event recorded before it has been either sent or held back.
    const marker = { n: 'marker', affiliate_id: String(own), payout: 1.5, revenue: 2.5 }
    await recordLiveEvents(t.server.database.db, [
      ...events(own + 1, 1),
      { kind: 'conversion', affiliateId: own, at: Date.now(), data: marker },
    ])
    await waitFor(() => stream.messages.some((m) => m.data?.includes('"marker"')), {
      message: 'the marker event',
    })
    const seen = stream.messages
      .filter((m) => m.event === 'conversion')
      .map((m) => JSON.parse(m.data!))
    expect(seen).toEqual([
      { n: 0, affiliate_id: String(own), payout: 1.5 },
      { n: 'marker', affiliate_id: String(own), payout: 1.5 },
    ])
    stream.close()
    await stream.done
  })

  it.each([
    [
      'its key is rotated',
      (id: string) => t.request('POST', `/api/v1/affiliates/${id}/rotate-key`),
    ],
    [
      'its affiliate is paused',
      (id: string) =>
        t.request('PATCH', `/api/v1/affiliates/${id}`, { body: { status: 'paused' } }),
    ],
  ])("ends an affiliate's open stream within a heartbeat once %s", async (_name, revoke) => {
    const affiliate = await t.request('POST', '/api/v1/affiliates', { body: { name: 'A' } })
    const stream = connect(t.url, affiliate.body.api_key)
    await waitFor(() => stream.messages.some((m) => m.comment === 'heartbeat'), {
      message: 'a heartbeat',
    })
    await revoke(affiliate.body.id)
    const ended = await Promise.race([
      stream.done.then(() => 'ended'),
      new Promise((resolve) => setTimeout(() => resolve('still open'), 5000)),
    ])
    stream.close()
    expect(ended).toBe('ended')
  })

  it('lets the server stop while a client is connected', async () => {
    const stream = connect(t.url, TEST_ADMIN_KEY)
    await waitFor(() => stream.messages.length > 0, { message: 'the stream to open' })
    const closing = t.server.close()
    await expect(
      Promise.race([
        closing.then(() => 'closed'),
        new Promise((r) => setTimeout(() => r('hung'), 5000)),
      ]),
    ).resolves.toBe('closed')
    await stream.done
  })
})

describe('takeInOrder', () => {
  const rows = (...ids: number[]) => ids.map((id) => ({ id }))
  it('stops at a gap until it fills or is old enough to be a rollback', () => {
    const start = { last: 10, gapSince: undefined }
    const held = takeInOrder(rows(11, 13, 14), start, 1000)
    expect(held.ready.map((r) => r.id)).toEqual([11])
    expect(held.cursor).toEqual({ last: 11, gapSince: 1000 })
    expect(takeInOrder(rows(13, 14), held.cursor, 2000).ready).toEqual([])
    expect(takeInOrder(rows(12, 13, 14), held.cursor, 2000).ready.map((r) => r.id)).toEqual([
      12, 13, 14,
    ])
    const skipped = takeInOrder(rows(13, 14), held.cursor, 1000 + GAP_WAIT_MS)
    expect(skipped.ready.map((r) => r.id)).toEqual([13, 14])
    expect(skipped.cursor).toEqual({ last: 14, gapSince: undefined })
  })
})
