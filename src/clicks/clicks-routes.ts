import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { affiliateScope } from '../http/auth.ts'
import { AppError } from '../http/errors.ts'
import { ADMIN_ERRORS } from '../http/schemas.ts'
import { formatId } from '../shared/ids.ts'
import { decodeClickId } from './click-id.ts'
import { type ClickRecord, findClick } from './click-record.ts'

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

/** `GET /api/v1/clicks/{click_id}`; an affiliate key sees its own clicks only. */
export function registerClickRoutes(api: App, { clicks, database }: AppContext): void {
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
