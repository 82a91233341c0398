import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { affiliateScope } from '../http/auth.ts'
import { AppError } from '../http/errors.ts'
import { PageQuery } from '../http/pagination.ts'
import { ADMIN_ERRORS, IdParams, PageOf, pathId } from '../http/schemas.ts'
import { formatId } from '../shared/ids.ts'
import { decodeClickId } from './click-id.ts'
import { type ClickRecord, findClick } from './click-record.ts'
import { latestClickOf } from './latest-click.ts'
import { listClicks } from './list-clicks.ts'

const Text = Type.Union([Type.String(), Type.Null()])

const Click = Type.Object({
  click_id: Type.String(),
  offer_id: Type.String(),
  affiliate_id: Type.String(),
  sub1: Text,
  sub2: Text,
  sub3: Text,
  sub4: Text,
  sub5: Text,
  source: Text,
  ip: Type.String(),
  country: Type.Union([Type.String({ description: 'ISO 3166-1 alpha-2' }), Type.Null()]),
  device: Type.Union([Type.String({ description: 'desktop, mobile, tablet, …' }), Type.Null()]),
  os: Text,
  browser: Text,
  user_agent: Text,
  referrer: Text,
  is_bot: Type.Boolean(),
  blocked_reason: Type.Union([Type.String(), Type.Null()], {
    description: 'why it went to the fallback URL; null when it went to the offer',
  }),
  is_unique: Type.Boolean({
    description: 'first click of this IP and user agent on the offer in 24 h',
  }),
  created_at: Type.String(),
})

const exact = (what: string) => Type.Optional(Type.String({ description: `${what}, exact value` }))

const ListQuery = Type.Object({
  ...PageQuery,
  offer_id: Type.Optional(Type.String()),
  affiliate_id: Type.Optional(Type.String()),
  sub1: exact('sub1'),
  sub2: exact('sub2'),
  sub3: exact('sub3'),
  sub4: exact('sub4'),
  sub5: exact('sub5'),
  source: exact('source'),
  country: exact('ISO 3166-1 alpha-2 country'),
  device: exact('device type (desktop, mobile, tablet, …)'),
  is_bot: Type.Optional(Type.Boolean()),
  is_unique: Type.Optional(Type.Boolean()),
  from: Type.Optional(Type.String({ description: 'ISO date or datetime, inclusive' })),
  to: Type.Optional(Type.String({ description: 'ISO date (whole day) or datetime, inclusive' })),
})

/** `GET /api/v1/clicks` and `/clicks/{click_id}`; an affiliate key sees its own clicks only. */
export function registerClickRoutes(api: App, ctx: AppContext): void {
  const { clicks, database } = ctx
  registerLatestClickRoute(api, ctx)
  api.get(
    '/clicks',
    {
      schema: {
        operationId: 'listClicks',
        summary: 'Search clicks',
        description:
          'Stored clicks, newest first, in cursor pages, filtered by offer, affiliate, sub ids, source, country, device, the bot and unique flags and time (`from`/`to`, click time). Clicks still waiting to be written (about 20 ms) are not listed yet. An affiliate key sees its own clicks.',
        tags: ['clicks'],
        querystring: ListQuery,
        response: { 200: PageOf(Click), ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const { limit = 50, ...filters } = request.query
      const page = await listClicks(database.db, { limit, ...filters }, request.principal)
      return { data: page.data.map(presentClick), next_cursor: page.next_cursor }
    },
  )
  api.get(
    '/clicks/:click_id',
    {
      schema: {
        operationId: 'getClick',
        summary: 'Read a click',
        description:
          "The click as stored: sub ids, source, IP, country, device, OS, browser, flags. A click still waiting to be written is found too. A forged or garbled id is 404 without a database read; an affiliate key gets 404 for another affiliate's click.",
        tags: ['clicks'],
        params: Type.Object({ click_id: Type.String() }),
        response: { 200: Click, ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const { click_id: clickId } = request.params
      const notFound = new AppError('not_found', 'click not found')
      // A forged or garbled id is refused by its MAC, without a database read.
      const parts = decodeClickId(clicks.secret, clickId)
      if (!parts) throw notFound
      const scope = affiliateScope(request.principal)
      if (scope !== undefined && scope !== parts.affiliateId) throw notFound
      const click = clicks.writer.pending(clickId) ?? (await findClick(database.db, clickId))
      if (!click) throw notFound
      return presentClick(click)
    },
  )
}

/**
 * `GET /api/v1/advertisers/{id}/latest-click`: the newest click of the advertiser's offers, for
 * its integration test. An advertiser asks for itself only.
 */
function registerLatestClickRoute(api: App, { database }: AppContext): void {
  api.get(
    '/advertisers/:id/latest-click',
    {
      schema: {
        operationId: 'getLatestClick',
        summary: "The newest click of an advertiser's offers",
        description:
          "The newest click of the advertiser's offers in the last 30 days: a real click id to send a test postback for. 404 when there is none; an advertiser may ask for itself only (another is 404).",
        tags: ['clicks'],
        params: IdParams,
        response: {
          200: Type.Object({
            click_id: Type.String(),
            offer_id: Type.String(),
            created_at: Type.String(),
          }),
          ...ADMIN_ERRORS,
        },
      },
    },
    async (request) => {
      const id = pathId(request.params.id, 'advertiser')
      const { principal } = request
      if (principal.role === 'advertiser' && principal.advertiserId !== id) {
        throw new AppError('not_found', `advertiser ${request.params.id} not found`)
      }
      const click = await latestClickOf(database.db, id)
      if (!click) {
        throw new AppError(
          'not_found',
          'no click on these offers in the last 30 days: open a tracking link first',
        )
      }
      return {
        click_id: click.click_id,
        offer_id: formatId(click.offer_id),
        created_at: new Date(click.created_at).toISOString(),
      }
    },
  )
}

function presentClick(click: ClickRecord) {
  return {
    click_id: click.clickId,
    offer_id: formatId(click.offerId),
    affiliate_id: formatId(click.affiliateId),
    sub1: click.sub1,
    sub2: click.sub2,
    sub3: click.sub3,
    sub4: click.sub4,
    sub5: click.sub5,
    source: click.source,
    ip: click.ip,
    country: click.country,
    device: click.deviceType,
    os: click.os,
    browser: click.browser,
    user_agent: click.userAgent,
    referrer: click.referrer,
    is_bot: click.isBot,
    blocked_reason: click.blockedReason,
    is_unique: click.isUnique,
    created_at: new Date(click.clickedAt).toISOString(),
  }
}
