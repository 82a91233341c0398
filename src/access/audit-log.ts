import type { Db } from '../db/database.ts'
import { formatId } from '../shared/ids.ts'
import { currentCaller } from './audit-context.ts'

/** Fields whose values never reach the log; that they changed still does. */
const SECRET_FIELDS = new Set([
  'api_key',
  'key',
  'key_hash',
  'password',
  'password_hash',
  'postback_token',
  'postback_url',
  'signing_secret',
  'previous_signing_secret',
  'totp_secret',
  'recovery_codes',
  'token',
])
// Bookkeeping that changes with every write and says nothing about what was changed.
const IGNORED_FIELDS = new Set(['updated_at', 'created_at'])

export const REDACTED = '[redacted]'

export type FieldChanges = Record<string, { from: unknown; to: unknown }>

export interface Change {
  action: string
  entity: string
  entityId: number | string
  /** The entity as the API showed it before; undefined when it was created. */
  before?: object
  /** The entity as the API shows it after; undefined when it was deleted. */
  after?: object
}

/** Each field that differs between before and after, secrets redacted. */
export function diffFields(before: object | undefined, after: object | undefined): FieldChanges {
  const from = (before ?? {}) as Record<string, unknown>
  const to = (after ?? {}) as Record<string, unknown>
  const changes: FieldChanges = {}
  for (const field of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (IGNORED_FIELDS.has(field)) continue
    const a = from[field] ?? null
    const b = to[field] ?? null
    if (JSON.stringify(a) === JSON.stringify(b)) continue
    changes[field] = SECRET_FIELDS.has(field)
      ? { from: a === null ? null : REDACTED, to: b === null ? null : REDACTED }
      : { from: a, to: b }
  }
  return changes
}

/**
 * Records a change made through the API, in the caller's transaction so the change and its record
 * commit or roll back together. An update that changed nothing is not recorded.
 */
export async function recordChange(tx: Db, change: Change): Promise<void> {
  const caller = currentCaller()
  if (!caller) return
  const changes = diffFields(change.before, change.after)
  if (change.action === 'update' && Object.keys(changes).length === 0) return
  await tx
    .insertInto('audit_log')
    .values({
      at: Date.now(),
      actor_type: caller.actor.type,
      actor_id: caller.actor.id,
      actor_name: caller.actor.name,
      ip: caller.ip,
      action: change.action,
      entity: change.entity,
      entity_id: typeof change.entityId === 'number' ? formatId(change.entityId) : change.entityId,
      changes: JSON.stringify(changes),
    })
    .execute()
}
