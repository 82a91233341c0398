import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { PageQuery } from '../http/pagination.ts'
import { ADMIN_ERRORS, PageOf } from '../http/schemas.ts'
import { listAuditLog } from './audit-log-query.ts'

const NullableText = Type.Union([Type.String(), Type.Null()])

const Entry = Type.Object(
  {
    id: Type.String(),
    at: Type.String(),
    actor: Type.Object({
      type: Type.Union([Type.Literal('user'), Type.Literal('key')]),
      id: NullableText,
      name: Type.String(),
    }),
    ip: NullableText,
    action: Type.String({ description: 'create, update, delete, set_password, …' }),
    entity: Type.String({
      description: 'offer, advertiser, affiliate, postback, conversion, user, api_key',
    }),
    entity_id: Type.String(),
    changes: Type.Record(Type.String(), Type.Object({ from: Type.Unknown(), to: Type.Unknown() }), {
      description: 'each changed field before and after; secrets as "[redacted]"',
    }),
  },
  {
    examples: [
      {
        id: '42',
        at: '2026-12-01T17:41:19.028Z',
        actor: { type: 'user', id: '2', name: 'Ana' },
        ip: '203.0.113.7',
        action: 'update',
        entity: 'offer',
        entity_id: '1',
        changes: { payout: { from: 4, to: 4.5 } },
      },
    ],
  },
)

const Query = Type.Object({
  ...PageQuery,
  entity: Type.Optional(Type.String()),
  entity_id: Type.Optional(Type.String()),
  actor_id: Type.Optional(Type.String()),
  actor_type: Type.Optional(Type.Union([Type.Literal('user'), Type.Literal('key')])),
  action: Type.Optional(Type.String()),
  from: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
})

/** Who changed what, when, from where. */
export function registerAuditLogRoutes(api: App, { database }: AppContext): void {
  api.get(
    '/audit-log',
    {
      schema: {
        operationId: 'listAuditLog',
        summary: 'Read the audit log',
        description:
          'Admins and managers. Every change made through the API: who (user or key), when, from which address, what and each field before and after, secrets redacted. Newest first, in cursor pages; filter by entity, actor, action and time.',
        tags: ['people'],
        querystring: Query,
        response: { 200: PageOf(Entry), ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const { limit = 50, ...filters } = request.query
      return listAuditLog(database.db, { limit, ...filters })
    },
  )
}
