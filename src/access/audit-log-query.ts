import type { Db } from '../db/database.ts'
import { decodeCursor, type Page, toPage } from '../http/pagination.ts'
import { parseTimeFilter } from '../http/time-filter.ts'
import { formatId } from '../shared/ids.ts'
import type { FieldChanges } from './audit-log.ts'

export interface AuditQuery {
  limit: number
  cursor?: string
  entity?: string
  entity_id?: string
  actor_id?: string
  actor_type?: 'user' | 'key'
  action?: string
  from?: string
  to?: string
}

export interface AuditEntry {
  id: string
  at: string
  actor: { type: 'user' | 'key'; id: string | null; name: string }
  ip: string | null
  action: string
  entity: string
  entity_id: string
  changes: FieldChanges
}

/** The audit log newest first, filtered by what changed, who changed it and when. */
export async function listAuditLog(db: Db, query: AuditQuery): Promise<Page<AuditEntry>> {
  const after = decodeCursor(query.cursor)
  let select = db
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
  if (after !== undefined) select = select.where('id', '<', after)
  if (query.entity !== undefined) select = select.where('entity', '=', query.entity)
  if (query.entity_id !== undefined) select = select.where('entity_id', '=', query.entity_id)
  if (query.actor_id !== undefined) select = select.where('actor_id', '=', query.actor_id)
  if (query.actor_type !== undefined) select = select.where('actor_type', '=', query.actor_type)
  if (query.action !== undefined) select = select.where('action', '=', query.action)
  if (query.from !== undefined)
    select = select.where('at', '>=', parseTimeFilter(query.from, 'from'))
  if (query.to !== undefined) select = select.where('at', '<', parseTimeFilter(query.to, 'to'))
  const rows = await select.execute()
  return toPage(rows, query.limit, (row) => ({
    id: formatId(row.id),
    at: new Date(row.at).toISOString(),
    actor: { type: row.actor_type, id: row.actor_id, name: row.actor_name },
    ip: row.ip,
    action: row.action,
    entity: row.entity,
    entity_id: row.entity_id,
    changes: JSON.parse(row.changes) as FieldChanges,
  }))
}
