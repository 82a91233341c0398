import { type BlockedReason, blockedReasonOf } from '../fraud/index.ts'
import { parseId } from '../shared/ids.ts'
import { fillCompiled, type MacroTemplate } from '../shared/macros.ts'
import { encodeClickId } from './click-id.ts'
import type { ClickRecord } from './click-record.ts'
import type { ClickWriter, QueuedClick } from './click-writer.ts'
import type { RecentVisitors } from './recent-visitors.ts'
import type { CatalogSnapshot, TrackedOffer, TrackingCatalog } from './tracking-catalog.ts'
import { countryOf, profileOf } from './visitor-profile.ts'

/** Sub ids and source are stored as given up to this many characters; the rest is cut. */
export const SUB_ID_MAX_LENGTH = 500
/** User agents and referrers are stored up to this many characters. */
export const HEADER_MAX_LENGTH = 1000

export interface ClickTracker {
  secret: Buffer
  catalog: TrackingCatalog
  writer: ClickWriter
  visitors: RecentVisitors
}

/** A tracking-link request with its query parsed, as `answerTrackingLink` hands it over. */
export interface ClickRequest {
  offerId: string
  query: Readonly<Record<string, unknown>>
  ip: string
  userAgent: string | undefined
  referrer: string | undefined
  now: number
  /** False for HEAD: link checkers and previews get the answer but make no click. */
  record: boolean
}

export type ClickOutcome =
  | {
      kind: 'redirect'
      location: string
      click: ClickRecord | undefined
      /**
       * When the click writer is far behind but still committing: its next commit, which the
       * redirect waits for, so redirects slow to what the database can store.
       */
      slowDown: Promise<void> | undefined
    }
  | { kind: 'missing_affiliate' }
  | { kind: 'not_found'; message: string }

/**
 * Records a click on an active offer by an active affiliate and sends the visitor to the offer's
 * destination; anything else goes to the offer's fallback URL, or nowhere.
 *
 * Synchronous: the catalog is read beforehand (`TrackingCatalog.current()`, or `catchUp()` after
 * a change) and the writer's back-pressure is part of the outcome. At tens of thousands of clicks
 * a second, a promise and a microtask turn per click are a measurable share of the redirect.
 */
export function trackClick(
  tracker: ClickTracker,
  catalog: CatalogSnapshot,
  request: ClickRequest,
): ClickOutcome {
  const affiliateText = firstValue(request.query.aff_id)
  if (affiliateText === undefined || affiliateText === '') return MISSING_AFFILIATE
  const offerId = parseId(request.offerId)
  const affiliateId = parseId(affiliateText)
  const offer = offerId === undefined ? undefined : catalog.offers.get(offerId)
  if (!offer) return OFFER_NOT_FOUND
  const affiliateActive = affiliateId !== undefined && catalog.affiliates.get(affiliateId) === true
  // An affiliate without access to an approval or private offer is sent where a paused offer sends.
  const allowed =
    offer.allowed === undefined || (affiliateId !== undefined && offer.allowed.has(affiliateId))
  if (offer.status !== 'active' || !affiliateActive || !allowed || affiliateId === undefined) {
    if (offer.fallback === null) {
      if (!affiliateActive) return AFFILIATE_NOT_FOUND
      return offer.status === 'active' ? NO_ACCESS : OFFER_PAUSED
    }
    const source = { request, offerId: offer.id, affiliateId: affiliateText, click: undefined }
    return unrecorded(fillUrl(offer.fallback, source))
  }
  const click = clickOf(tracker, request, offer, affiliateId)
  // Offers without rules, on a network without a blocklist, skip the verdict altogether.
  const judged = catalog.blocklist !== null || offer.blocklist !== null || offer.targeting !== null
  const reason =
    (judged ? blockedReasonOf(catalog.blocklist, offer, click, request.now) : null) ??
    (offer.clickCaps.length > 0 &&
    !tracker.catalog.caps.take(offer, affiliateId, request.now, request.record)
      ? 'cap_reached'
      : null)
  if (reason !== null) return blockedClick(tracker, request, offer, click, reason)
  if (!request.record) {
    const source = {
      request,
      offerId: offer.id,
      affiliateId: String(affiliateId),
      click: undefined,
    }
    return unrecorded(fillUrl(offer.destination, source))
  }
  click.isUnique = tracker.visitors.isFirstClick(offer.id, click.ip, click.userAgent, request.now)
  const slowDown = tracker.writer.add(click)
  const source = { request, offerId: offer.id, affiliateId: String(affiliateId), click }
  return { kind: 'redirect', location: fillUrl(offer.destination, source), click, slowDown }
}

/**
 * A click outside the offer's targeting, blocklisted or past a cap: stored with its reason (it
 * counts as a blocked click, and does not make its visitor seen), and sent to the fallback URL
 * with no click id, or answered 404.
 */
function blockedClick(
  tracker: ClickTracker,
  request: ClickRequest,
  offer: TrackedOffer,
  click: QueuedClick,
  reason: BlockedReason,
): ClickOutcome {
  const slowDown = request.record
    ? tracker.writer.add({ ...click, blockedReason: reason })
    : undefined
  if (offer.fallback === null) return OFFER_BLOCKED
  const source = {
    request,
    offerId: offer.id,
    affiliateId: String(click.affiliateId),
    click: undefined,
  }
  return { kind: 'redirect', location: fillUrl(offer.fallback, source), click: undefined, slowDown }
}

function unrecorded(location: string): ClickOutcome {
  return { kind: 'redirect', location, click: undefined, slowDown: undefined }
}

const MISSING_AFFILIATE: ClickOutcome = { kind: 'missing_affiliate' }
const OFFER_NOT_FOUND: ClickOutcome = { kind: 'not_found', message: 'offer not found' }
const OFFER_PAUSED: ClickOutcome = { kind: 'not_found', message: 'offer paused' }
const AFFILIATE_NOT_FOUND: ClickOutcome = { kind: 'not_found', message: 'affiliate not found' }
const NO_ACCESS: ClickOutcome = { kind: 'not_found', message: 'offer not open to this affiliate' }
const OFFER_BLOCKED: ClickOutcome = { kind: 'not_found', message: 'offer not available' }

// The click as it would be stored; its id is made only for a click that is (GET, not HEAD).
function clickOf(
  tracker: ClickTracker,
  request: ClickRequest,
  offer: TrackedOffer,
  affiliateId: number,
): QueuedClick {
  const { query, ip, now } = request
  const offerId = offer.id
  const userAgent = storable(request.userAgent, HEADER_MAX_LENGTH)
  const profile = profileOf(userAgent)
  const click: QueuedClick = {
    clickId: request.record
      ? encodeClickId(tracker.secret, { offerId, affiliateId, clickedAt: now })
      : '',
    offerId,
    affiliateId,
    sub1: storable(firstValue(query.sub1), SUB_ID_MAX_LENGTH),
    sub2: storable(firstValue(query.sub2), SUB_ID_MAX_LENGTH),
    sub3: storable(firstValue(query.sub3), SUB_ID_MAX_LENGTH),
    sub4: storable(firstValue(query.sub4), SUB_ID_MAX_LENGTH),
    sub5: storable(firstValue(query.sub5), SUB_ID_MAX_LENGTH),
    source: storable(firstValue(query.source), SUB_ID_MAX_LENGTH),
    ip,
    userAgent,
    referrer: storable(request.referrer, HEADER_MAX_LENGTH),
    country: countryOf(ip),
    deviceType: profile.deviceType,
    os: profile.os,
    browser: profile.browser,
    isBot: profile.isBot,
    isUnique: false,
    clickedAt: now,
    blockedReason: null,
    currency: offer.currency,
  }
  return click
}

/** What a redirect's macros are filled from: the stored click, or the request when none. */
interface MacroSource {
  request: ClickRequest
  offerId: number
  affiliateId: string
  click: ClickRecord | undefined
}

// Only the macros a template uses are computed: a fallback or HEAD redirect looks up the
// country only for a template with `{country}`.
function macroValue({ request, offerId, affiliateId, click }: MacroSource, name: string) {
  switch (name) {
    case 'click_id':
      return click?.clickId ?? ''
    case 'offer_id':
      return String(offerId)
    case 'affiliate_id':
      return affiliateId
    case 'country':
      return click ? (click.country ?? '') : (countryOf(request.ip) ?? '')
    case 'ip':
      return request.ip
    case 'timestamp':
      return String(Math.floor(request.now / 1000))
    case 'source':
    case 'sub1':
    case 'sub2':
    case 'sub3':
    case 'sub4':
    case 'sub5':
      return click ? (click[name] ?? '') : (firstValue(request.query[name]) ?? '')
    default:
      return undefined
  }
}

function fillUrl(template: MacroTemplate, source: MacroSource): string {
  return fillCompiled(template, source, macroValue, encodeUrlValue)
}

function encodeUrlValue(value: string): string {
  return encodeURIComponent(value.toWellFormed())
}

// A repeated parameter (`sub1=a&sub1=b`) counts once, by its first value.
function firstValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0]
  return undefined
}

/**
 * Text as it can be stored on both engines: well-formed UTF-16, no NUL (PostgreSQL refuses it),
 * cut at `max` characters without splitting a surrogate pair. Empty or absent is null.
 */
export function storable(value: string | undefined, max: number): string | null {
  if (value === undefined || value === '') return null
  let text = value.toWellFormed()
  if (text.includes('\0')) text = text.replaceAll('\0', '\uFFFD')
  if (text.length <= max) return text
  const cut =
    text.charCodeAt(max - 1) >= 0xd800 && text.charCodeAt(max - 1) <= 0xdbff ? max - 1 : max
  return text.slice(0, cut)
}
