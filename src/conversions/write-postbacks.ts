import type { Db } from '../db/database.ts'
import { AppError } from '../http/errors.ts'
import type { ConversionEffects } from './conversion-effects.ts'
import { type Commit, groupCommit } from './group-commit.ts'
import { type PostbackLogDraft, type PostbackLogEntry, writePostbackLogs } from './postback-log.ts'
import { type PostbackFacts, type PostbackOutcome, recordConversions } from './record-postback.ts'
import {
  claimWebhookIds,
  replayOutcome,
  settleWebhookId,
  type WebhookKey,
} from './webhook-replay.ts'

/** What a postback call commits: a conversion with its log line, or the log line of a refusal. */
export type PostbackWrite =
  | { kind: 'conversion'; facts: PostbackFacts; log: PostbackLogDraft; webhook?: WebhookKey }
  | { kind: 'refusal'; entry: PostbackLogEntry }

/** A conversion's outcome (an AppError when it was refused in the transaction); nothing for a refusal. */
export type PostbackWritten = PostbackOutcome | AppError | undefined

export type PostbackCommit = Commit<PostbackWrite, PostbackWritten>

/** The group commit every postback call goes through, so a 200 follows the commit of its writes. */
export function postbackCommit(db: Db): PostbackCommit {
  return groupCommit(db, writePostbacks)
}

/**
 * Writes a batch of postback calls in one transaction: the conversions, then every log line in
 * one statement. A conversion refused inside the transaction (a forbidden status change) gets no
 * log line here; it is written with its error response.
 */
export async function writePostbacks(
  tx: Db,
  effects: ConversionEffects,
  writes: PostbackWrite[],
): Promise<PostbackWritten[]> {
  const conversions = writes.flatMap((write) => (write.kind === 'conversion' ? [write] : []))
  const outcomes = await recordUnlessReplayed(tx, effects, conversions)
  const results: PostbackWritten[] = []
  const logLines: PostbackLogEntry[] = []
  let next = 0
  for (const write of writes) {
    if (write.kind === 'refusal') {
      logLines.push(write.entry)
      results.push(undefined)
      continue
    }
    const outcome = outcomes[next++]!
    results.push(outcome)
    if (outcome instanceof AppError) continue
    logLines.push({
      ...write.log,
      http_status: 200,
      result: outcome.result,
      reason: outcome.reason ?? null,
      message: null,
      conversion_id: outcome.conversionId,
    })
  }
  await writePostbackLogs(tx, logLines)
  return results
}

/**
 * Records the conversions of a batch, except signed calls whose webhook-id was already seen from
 * their advertiser: those are replays, answered with the first delivery's conversion. Token
 * calls (no webhook-id) cost nothing more.
 */
async function recordUnlessReplayed(
  tx: Db,
  effects: ConversionEffects,
  conversions: Array<Extract<PostbackWrite, { kind: 'conversion' }>>,
): Promise<Array<PostbackOutcome | AppError>> {
  const keys = conversions.map((write) => write.webhook)
  if (keys.every((key) => key === undefined)) {
    return recordConversions(
      tx,
      effects,
      conversions.map((write) => write.facts),
    )
  }
  const firsts = await claimWebhookIds(tx, keys, Date.now())
  const fresh = conversions.filter((_, i) => firsts[i])
  const recorded = await recordConversions(
    tx,
    effects,
    fresh.map((write) => write.facts),
  )
  const outcomes: Array<PostbackOutcome | AppError> = []
  let next = 0
  for (const [i, key] of keys.entries()) {
    if (!firsts[i]) continue
    const outcome = recorded[next++]!
    if (key) await settleWebhookId(tx, key, outcome)
    outcomes[i] = outcome
  }
  for (const [i, key] of keys.entries()) {
    if (!firsts[i]) outcomes[i] = await replayOutcome(tx, key!)
  }
  return outcomes
}

/**
 * Records a postback through the group commit and resolves once it is committed with its log
 * line, so a 200 is only ever sent for something stored. Throws the AppError of a refusal.
 */
export async function recordPostback(
  commit: PostbackCommit,
  facts: PostbackFacts,
  log: PostbackLogDraft,
  webhook?: WebhookKey,
): Promise<PostbackOutcome> {
  const outcome = await commit(
    webhook ? { kind: 'conversion', facts, log, webhook } : { kind: 'conversion', facts, log },
  )
  if (outcome === undefined) throw new Error('a recorded postback came back without an outcome')
  if (outcome instanceof AppError) throw outcome
  return outcome
}
