import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import type { Db } from '../db/database.ts'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { type FeedCursor, takeInOrder } from './live-order.ts'

const POLL_MS = 250
const BATCH = 500

/**
 * `GET /api/v1/live`: Server-Sent Events of clicks, conversions and delivery outcomes. The feed
 * reads the live_events table, so it sees what every process sharing the database commits, and
 * `Last-Event-ID` (or `?last_event_id=`) resumes after the last event a client saw.
 */
export function registerLiveRoutes(api: App, { config, database }: AppContext): void {
  // Open streams never finish on their own; a graceful stop ends them so the server can close.
  const streams = new Set<() => void>()
  api.addHook('preClose', async () => {
    for (const end of streams) end()
  })
  api.get(
    '/live',
    {
      schema: {
        tags: ['reports'],
        description:
          'Server-Sent Events: event types click, conversion, delivery; `: heartbeat` comments',
        querystring: Type.Object({
          last_event_id: Type.Optional(Type.String({ pattern: '^\\d{1,15}$' })),
        }),
      },
    },
    async (request, reply) => {
      const scope =
        request.principal.role === 'affiliate' ? request.principal.affiliateId : undefined
      const resumeFrom = request.headers['last-event-id'] ?? request.query.last_event_id
      const startAfter = /^\d{1,15}$/.test(String(resumeFrom ?? ''))
        ? Number(resumeFrom)
        : await latestId(database.db)
      reply.hijack()
      const end = streamEvents(database.db, reply, {
        scope,
        startAfter,
        heartbeatMs: config.liveHeartbeatMs,
      })
      streams.add(end)
      reply.raw.on('close', () => streams.delete(end))
    },
  )
}

async function latestId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('live_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst()
  return Number(row?.id ?? 0)
}

function streamEvents(
  db: Db,
  reply: FastifyReply,
  options: { scope: number | undefined; startAfter: number; heartbeatMs: number },
): () => void {
  const response = reply.raw
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  })
  response.write(`retry: 2000\n\n`)
  let cursor: FeedCursor = { last: options.startAfter, gapSince: undefined }
  let open = true
  let polling = false
  const poll = async () => {
    if (!open || polling) return
    polling = true
    try {
      // Unfiltered, so gaps in the id sequence are visible; the affiliate scope applies below.
      const rows = await db
        .selectFrom('live_events')
        .select(['id', 'kind', 'affiliate_id', 'payload'])
        .where('id', '>', cursor.last)
        .orderBy('id')
        .limit(BATCH)
        .execute()
      const taken = takeInOrder(rows, cursor, Date.now())
      cursor = taken.cursor
      for (const event of taken.ready) {
        if (options.scope !== undefined && event.affiliate_id !== options.scope) continue
        const payload = options.scope === undefined ? event.payload : withoutRevenue(event.payload)
        response.write(`id: ${event.id}\nevent: ${event.kind}\ndata: ${payload}\n\n`)
      }
    } catch (error) {
      reply.log.error({ err: error }, 'live feed poll failed')
    } finally {
      polling = false
    }
  }
  const pollTimer = setInterval(poll, POLL_MS)
  const heartbeatTimer = setInterval(() => response.write(': heartbeat\n\n'), options.heartbeatMs)
  void poll()
  const stop = () => {
    open = false
    clearInterval(pollTimer)
    clearInterval(heartbeatTimer)
  }
  response.on('close', stop)
  return () => {
    stop()
    response.end()
  }
}

function withoutRevenue(payload: string): string {
  const {
    revenue: _revenue,
    profit: _profit,
    ...rest
  } = JSON.parse(payload) as Record<string, unknown>
  return JSON.stringify(rest)
}
