import { type ClickTracking, findClick } from '../clicks/index.ts'
import type { Db } from '../db/database.ts'
import { AppError } from '../http/errors.ts'
import { requireGoal } from './attribution-context.ts'
import { authenticatePostback, type PostbackCredentials } from './postback-auth.ts'
import type { ContextLoader } from './postback-context-cache.ts'
import { parseClickId, parseConversionRequest, parseGoalKey } from './postback-input.ts'
import type { PostbackLogDraft } from './postback-log.ts'
import { canonicalParams, type RawParams } from './postback-params.ts'
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

/** What the log line of a call learns as the call goes; filled in by `acceptPostback`. */
export interface PostbackFindings {
  auth: string | null
  clickId: string | null
  offerId: number | null
  advertiserId: number | null
}

export interface PostbackCall {
  at: number
  params: RawParams
  credentials: Omit<PostbackCredentials, 'token'>
  findings: PostbackFindings
  /** The call's log line so far; written with the conversion, in its transaction. */
  logDraft: () => PostbackLogDraft
}

/**
 * An inbound postback from parameters to stored outcome: parse, check the click id's MAC, read
 * the offer, authenticate, validate, attribute to the click, then record (or find the duplicate).
 * Throws an AppError for every refusal.
 */
export async function acceptPostback(
  deps: PostbackDeps,
  call: PostbackCall,
): Promise<PostbackOutcome> {
  const { findings } = call
  const params = canonicalParams(call.params)
  const { clickId, parts } = parseClickId(deps.clicks.secret, params)
  findings.clickId = clickId
  findings.offerId = parts.offerId
  const goalKey = parseGoalKey(params)
  const context = await deps.context(parts.offerId, goalKey, call.at)
  const { offer } = context
  findings.advertiserId = offer.advertiserId
  const credentials = { ...call.credentials, token: params.token }
  findings.auth = authenticatePostback(offer, credentials, call.at)
  const request = parseConversionRequest(params, offer.currency)
  const goal = requireGoal(context, goalKey)
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
  const webhook = webhookKeyOf(findings.auth, offer.advertiserId, call.credentials.headers)
  const facts = { attribution, goal, request, now: call.at }
  return recordPostback(deps.commit, facts, call.logDraft(), webhook)
}
