import type { IncomingHttpHeaders } from 'node:http'
import type { Db } from '../db/database.ts'
import { AppError } from '../http/errors.ts'
import { findConversion } from './conversion-store.ts'
import { SIGNATURE_TOLERANCE_SECONDS } from './postback-auth.ts'
import type { PostbackOutcome } from './record-postback.ts'

/** The Standard Webhooks id of a signed postback, scoped to the advertiser whose token signed it. */
export interface WebhookKey {
  advertiserId: number
  webhookId: string
}

// A timestamp is accepted from 5 minutes before to 5 minutes after it, so a captured request
// can be replayed for up to 10 minutes after it was first seen; a margin on top.
const KEEP_MS = (2 * SIGNATURE_TOLERANCE_SECONDS + 5 * 60) * 1000
const PRUNE_EVERY_MS = 60_000
let prunedAt = 0

/** The key to remember for a call authenticated by signature; none for a token call. */
export function webhookKeyOf(
  auth: string,
  advertiserId: number,
  headers: IncomingHttpHeaders,
): WebhookKey | undefined {
  const id = headers['webhook-id']
  if (auth !== 'signature' || typeof id !== 'string') return undefined
  return { advertiserId, webhookId: id }
}

/**
 * Claims the webhook ids of a batch, in the caller's transaction: one insert that skips the ids
 * already stored (by another process too — its uncommitted claim makes ours wait, then skip).
 * Returns, per entry, true when the call is the first with its id (or has none).
 */
export async function claimWebhookIds(
  tx: Db,
  keys: ReadonlyArray<WebhookKey | undefined>,
  now: number,
): Promise<boolean[]> {
  await pruneWebhookIds(tx, now)
  const firsts = new Map<string, WebhookKey>()
  const firstIndex = keys.map((key) => {
    if (!key) return true
    const text = keyText(key)
    if (firsts.has(text)) return false
    firsts.set(text, key)
    return true
  })
  if (firsts.size === 0) return firstIndex
  // Sorted, so two processes claiming the same ids take their locks in the same order.
  const values = [...firsts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, key]) => ({
      advertiser_id: key.advertiserId,
      webhook_id: key.webhookId,
      seen_at: now,
      conversion_id: null,
    }))
  const claimed = await tx
    .insertInto('webhook_ids')
    .values(values)
    .onConflict((conflict) => conflict.columns(['advertiser_id', 'webhook_id']).doNothing())
    .returning(['advertiser_id', 'webhook_id'])
    .execute()
  const fresh = new Set(
    claimed.map((row) => keyText({ advertiserId: row.advertiser_id, webhookId: row.webhook_id })),
  )
  return keys.map((key, i) => (key ? firstIndex[i]! && fresh.has(keyText(key)) : true))
}

/**
 * Ties a claimed id to the conversion its call recorded or found, so a replay can answer with it;
 * a call refused in the transaction releases its id, and a corrected retry is judged anew.
 */
export async function settleWebhookId(
  tx: Db,
  key: WebhookKey,
  outcome: PostbackOutcome | AppError,
): Promise<void> {
  if (outcome instanceof AppError) {
    await tx
      .deleteFrom('webhook_ids')
      .where('advertiser_id', '=', key.advertiserId)
      .where('webhook_id', '=', key.webhookId)
      .execute()
    return
  }
  await tx
    .updateTable('webhook_ids')
    .set({ conversion_id: outcome.conversionId })
    .where('advertiser_id', '=', key.advertiserId)
    .where('webhook_id', '=', key.webhookId)
    .execute()
}

/** What a replayed webhook id answers: the conversion its first delivery recorded, unchanged. */
export async function replayOutcome(tx: Db, key: WebhookKey): Promise<PostbackOutcome | AppError> {
  const seen = await tx
    .selectFrom('webhook_ids')
    .select('conversion_id')
    .where('advertiser_id', '=', key.advertiserId)
    .where('webhook_id', '=', key.webhookId)
    .executeTakeFirst()
  const conversion =
    seen?.conversion_id == null ? undefined : await findConversion(tx, seen.conversion_id)
  if (!conversion) {
    return new AppError(
      'conflict',
      `webhook-id ${key.webhookId} was refused or is still processing`,
    )
  }
  return {
    result: 'duplicate',
    conversionId: conversion.id,
    status: conversion.status,
    reason: 'replayed_webhook',
  }
}

// Once a minute per process is enough: the table holds ten minutes of signed postbacks.
async function pruneWebhookIds(tx: Db, now: number): Promise<void> {
  if (now - prunedAt < PRUNE_EVERY_MS) return
  prunedAt = now
  await tx
    .deleteFrom('webhook_ids')
    .where('seen_at', '<', now - KEEP_MS)
    .execute()
}

function keyText(key: WebhookKey): string {
  return `${key.advertiserId}\n${key.webhookId}`
}
