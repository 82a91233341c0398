import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import type { Db } from '../db/database.ts'
import type { LiveEventKind } from '../db/tables/reports.ts'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { callerStillValid } from '../http/auth.ts'
import { ADMIN_ERRORS } from '../http/schemas.ts'
import {
  clickEventId,
  EVENT_ID_PATTERN,
  type FeedCursor,
  type ResumePoint,
  resumePoint,
  takeInOrder,
} from './live-order.ts'

interface LiveRow {
  id: number
  kind: LiveEventKind
  affiliate_id: number
  payload: string
}

const POLL_MS = 250
// Rows per read, and per poll at most. A `clicks` row holds up to a whole batch of one
// affiliate's clicks, so a poll also stops once it has sent EVENTS_PER_POLL events: a client
// catching up on a backlog gets it in bounded writes, not one read of 500 such rows.
const ROWS_PER_READ = 50
const ROWS_PER_POLL = 500
const EVENTS_PER_POLL = 5000

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
        operationId: 'streamLiveEvents',
        summary: 'Follow clicks, conversions and deliveries live',
        tags: ['reports'],
        description:
          'Server-Sent Events of what is committed: `click` and `conversion` events, `: heartbeat` comments; resume with `Last-Event-ID`. Affiliate keys get their own events without `revenue` and `profit`.',
        querystring: Type.Object({
          last_event_id: Type.Optional(Type.String({ pattern: EVENT_ID_PATTERN })),
        }),
        response: {
          200: {
            description: 'an endless event stream; see docs/api.md, "Live feed"',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          400: ADMIN_ERRORS[400],
          401: ADMIN_ERRORS[401],
        },
      },
    },
    async (request, reply) => {
      const scope =
        request.principal.role === 'affiliate' ? request.principal.affiliateId : undefined
      const resumeFrom = request.headers['last-event-id'] ?? request.query.last_event_id
      const start = resumePoint(String(resumeFrom ?? '')) ?? {
        afterRow: await latestId(database.db),
        skip: undefined,
      }
      reply.hijack()
      const end = streamEvents(database.db, reply, {
        scope,
        start,
        heartbeatMs: config.liveHeartbeatMs,
        keyStillValid: () => callerStillValid(database.db, config, request),
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
  options: {
    scope: number | undefined
    start: ResumePoint
    heartbeatMs: number
    keyStillValid: () => Promise<boolean>
  },
): () => void {
  const response = reply.raw
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  })
  response.write(`retry: 2000\n\n`)
  let cursor: FeedCursor = { last: options.start.afterRow, gapSince: undefined }
  let skip = options.start.skip
  let open = true
  let polling = false
  const poll = async () => {
    if (!open || polling) return
    polling = true
    try {
      let read = 0
      let sent = 0
      reading: while (open && read < ROWS_PER_POLL) {
        // Unfiltered, so gaps in the id sequence are visible; the affiliate scope applies below.
        const rows = await db
          .selectFrom('live_events')
          .select(['id', 'kind', 'affiliate_id', 'payload'])
          .where('id', '>', cursor.last)
          .orderBy('id')
          .limit(ROWS_PER_READ)
          .execute()
        read += rows.length
        const taken = takeInOrder(rows, cursor, Date.now())
        cursor = taken.cursor
        for (const row of taken.ready) {
          const skipped = skip?.row === row.id ? skip.count : 0
          skip = undefined
          if (options.scope !== undefined && row.affiliate_id !== options.scope) continue
          const rendered = renderRow(row, skipped, options.scope !== undefined)
          response.write(rendered.text)
          sent += rendered.events
          if (sent >= EVENTS_PER_POLL) {
            // The ready rows run on from the cursor without gaps: the next poll resumes here.
            cursor = { last: row.id, gapSince: undefined }
            break reading
          }
        }
        // All read, or stopped at a gap that may still fill.
        if (rows.length < ROWS_PER_READ || taken.ready.length < rows.length) break
      }
    } catch (error) {
      reply.log.error({ err: error }, 'live feed poll failed')
    } finally {
      polling = false
    }
  }
  const pollTimer = setInterval(poll, POLL_MS)
  // The key is checked again at each heartbeat: a revoked one ends the stream within one.
  const heartbeat = async () => {
    const valid = await options.keyStillValid().catch((error: unknown) => {
      reply.log.error({ err: error }, 'live feed could not check its key')
      return true
    })
    if (!valid) end()
    else if (open) response.write(': heartbeat\n\n')
  }
  const heartbeatTimer = setInterval(heartbeat, options.heartbeatMs)
  void poll()
  const stop = () => {
    open = false
    clearInterval(pollTimer)
    clearInterval(heartbeatTimer)
  }
  const end = () => {
    stop()
    response.end()
  }
  response.on('close', stop)
  return end
}

/** The SSE messages of a row: one, or one `click` per click of a `clicks` row after `skip`. */
function renderRow(
  row: LiveRow,
  skip: number,
  forAffiliate: boolean,
): { text: string; events: number } {
  if (row.kind !== 'clicks') {
    const payload = forAffiliate ? withoutRevenue(row.payload) : row.payload
    return { text: `id: ${row.id}\nevent: ${row.kind}\ndata: ${payload}\n\n`, events: 1 }
  }
  const clicks = JSON.parse(row.payload) as unknown[]
  let text = ''
  for (let i = skip; i < clicks.length; i++) {
    text += `id: ${clickEventId(row.id, i)}\nevent: click\ndata: ${JSON.stringify(clicks[i])}\n\n`
  }
  return { text, events: Math.max(0, clicks.length - skip) }
}

function withoutRevenue(payload: string): string {
  const {
    revenue: _revenue,
    profit: _profit,
    ...rest
  } = JSON.parse(payload) as Record<string, unknown>
  return JSON.stringify(rest)
}
