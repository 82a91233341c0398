import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { PageQuery } from '../http/pagination.ts'
import { ADMIN_ERRORS, errorResponse, IdParams, PageOf, pathId } from '../http/schemas.ts'
import { BLOCKLIST_TYPES } from './blocked-reason.ts'
import { createBlocklistEntry, deleteBlocklistEntry, listBlocklist } from './blocklist.ts'

const EntryType = Type.Enum(BLOCKLIST_TYPES, {
  description:
    '`ip` an address, `cidr` a range, `user_agent` a case-insensitive substring, `sub1`…`sub5` and `source` exact values, `affiliate` an affiliate id',
})

const Entry = Type.Object({
  id: Type.String(),
  type: EntryType,
  value: Type.String(),
  offer_id: Type.Union([Type.String(), Type.Null()], {
    description: 'null: network-wide, every offer',
  }),
  created_at: Type.String(),
})

const CreateBody = Type.Object(
  {
    type: EntryType,
    value: Type.String({ minLength: 1, maxLength: 500 }),
    offer_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  },
  { examples: [{ type: 'cidr', value: '203.0.113.0/24', offer_id: null }] },
)

const ListQuery = Type.Object({
  ...PageQuery,
  type: Type.Optional(EntryType),
  offer_id: Type.Optional(
    Type.String({ description: 'an offer id, or `network` for network-wide entries' }),
  ),
  value: Type.Optional(Type.String({ maxLength: 500 })),
})

/** Network-wide and per-offer blocklists, read from memory by the tracking link. */
export function registerBlocklistRoutes(api: App, { database }: AppContext): void {
  const tags = ['blocklist']
  const { db } = database
  api.post(
    '/blocklist',
    {
      schema: {
        operationId: 'createBlocklistEntry',
        summary: 'Block clicks by IP, range, user agent, sub id, source or affiliate',
        description:
          'Admins and managers. From the next click on (within a second on other processes), a matching click goes to the offer\'s `fallback_url` (else 404), stored with `blocked_reason: "blocklist_<type>"` and counted in `blocked_clicks`. `offer_id` null or absent: every offer.',
        tags,
        body: CreateBody,
        response: {
          201: Entry,
          ...ADMIN_ERRORS,
          409: errorResponse('`conflict`: the same type, value and offer are listed already'),
        },
      },
    },
    async (request, reply) => reply.status(201).send(await createBlocklistEntry(db, request.body)),
  )
  api.get(
    '/blocklist',
    {
      schema: {
        operationId: 'listBlocklist',
        summary: 'List blocklist entries',
        description: 'Newest first, in cursor pages.',
        tags,
        querystring: ListQuery,
        response: { 200: PageOf(Entry), ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const { limit = 50, ...filters } = request.query
      return listBlocklist(db, { limit, ...filters })
    },
  )
  api.delete(
    '/blocklist/:id',
    {
      schema: {
        operationId: 'deleteBlocklistEntry',
        summary: 'Remove a blocklist entry',
        description:
          'Answers 204. Clicks it blocked stay blocked; the next ones are judged without it.',
        tags,
        params: IdParams,
        response: { 204: Type.Null(), ...ADMIN_ERRORS },
      },
    },
    async (request, reply) => {
      await deleteBlocklistEntry(db, pathId(request.params.id, 'blocklist entry'))
      return reply.status(204).send(null)
    },
  )
}
