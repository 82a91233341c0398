import { type ClickTracking, findClick } from '../clicks/index.ts'
import type { Db } from '../db/database.ts'
import { AppError } from '../http/errors.ts'
import { requireGoal } from './attribution-context.ts'
import { checkMoneyParams } from './conversion-money.ts'
import { authenticatePostback, type PostbackCredentials } from './postback-auth.ts'
import { addBodyParams, type PostbackBody } from './postback-body.ts'
import type { ContextLoader } from './postback-context-cache.ts'
import { parseClickId, parseConversionRequest, parseGoalKey } from './postback-input.ts'
import { postbackLogDraft } from './postback-log-draft.ts'
import { addTextParams, canonicalParams, type RawParams } from './postback-params.ts'
import type { PostbackOutcome } from './record-postback.ts'
import { webhookKeyOf } from './webhook-replay.ts'
import { type PostbackCommit, recordPostback } from './write-postbacks.ts'

export interface PostbackDeps {
  db: Db
  /** The offer, advertiser and goal of a postback, from memory when fresh. */
  context: ContextLoader
  commit: PostbackCommit
  clicks: ClickTracking
  /** Raw clicks older than this are deleted; a conversion for one is refused. */
  clickRetentionDays: number
}

const DAY_MS = 86_400_000

/** What a call turned out to be about, as far as it got: for its log line. */
export interface PostbackFindings {
  /** Every parameter received, query string first, then as much of the body as could be read. */
  params: RawParams
  auth: string | null
  clickId: string | null
  offerId: number | null
  advertiserId: number | null
}

export interface PostbackCall {
  at: number
  /** The query string, parsed. */
  query: unknown
  body: PostbackBody | undefined
  credentials: Omit<PostbackCredentials, 'token'>
}

/** The outcome of a call, or why it was refused, with what was found on the way. */
export type PostbackAnswer =
  | { found: PostbackFindings; outcome: PostbackOutcome }
  | { found: PostbackFindings; refusal: unknown }

/**
 * An inbound postback from parameters to stored outcome: parse, check the click id's MAC, read
 * the offer, authenticate, validate, attribute to the click, then record (or find the duplicate)
 * with its log line. A refusal (an AppError, or anything that went wrong) is returned, not
 * thrown, beside what was found before it: its log line needs both.
 */
export async function acceptPostback(
  deps: PostbackDeps,
  call: PostbackCall,
): Promise<PostbackAnswer> {
  const found = findingsOf(call.query)
  try {
    return { found, outcome: await accept(deps, call, found) }
  } catch (refusal) {
    return { found, refusal }
  }
}

/** What a call's query string alone tells, for a call refused before its body was read. */
export function findingsOf(query: unknown): PostbackFindings {
  const params: RawParams = new Map()
  addTextParams(params, query)
  return { params, auth: null, clickId: null, offerId: null, advertiserId: null }
}

// Fills in `found` as it learns, so a refusal at any step still tells what was known.
async function accept(
  deps: PostbackDeps,
  call: PostbackCall,
  found: PostbackFindings,
): Promise<PostbackOutcome> {
  addBodyParams(found.params, call.body)
  const params = canonicalParams(found.params)
  const { clickId, parts } = parseClickId(deps.clicks.secret, params)
  found.clickId = clickId
  found.offerId = parts.offerId
  const goalKey = parseGoalKey(params)
  const context = await deps.context(parts.offerId, goalKey, call.at)
  const { offer } = context
  found.advertiserId = offer.advertiserId
  const credentials = { ...call.credentials, token: params.token }
  found.auth = authenticatePostback(offer, credentials, call.at)
  const request = parseConversionRequest(params, offer.currency)
  const goal = requireGoal(context, goalKey, parts.affiliateId)
  const warnings = checkMoneyParams(goal, request)
  // A click from the last few milliseconds may still wait in the click writer's batch.
  const click = deps.clicks.writer.pending(clickId) ?? (await findClick(deps.db, clickId))
  if (!click && parts.clickedAt < call.at - deps.clickRetentionDays * DAY_MS) {
    throw new AppError(
      'click_purged',
      `this click is older than the ${deps.clickRetentionDays}-day click retention and its record was deleted`,
    )
  }
  const attribution = {
    clickId,
    offer,
    affiliateId: parts.affiliateId,
    clickedAt: click?.clickedAt ?? parts.clickedAt,
    click,
  }
  const webhook = webhookKeyOf(found.auth, offer.advertiserId, call.credentials.headers)
  const facts = { attribution, goal, request, rules: context.rules, now: call.at }
  const log = postbackLogDraft(call.at, call.credentials, found, warnings)
  const outcome = await recordPostback(deps.commit, facts, log, webhook)
  return warnings.length > 0 ? { ...outcome, warnings } : outcome
}
