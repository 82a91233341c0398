import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { AppError } from '../http/errors.ts'
import { PageQuery } from '../http/pagination.ts'
import { ADMIN_ERRORS, IdParams, PageOf, pathId } from '../http/schemas.ts'
import { decideAccessRequest, listAccessRequests, requestAccess } from './access-requests.ts'
import { grantAccess, revokeAccess } from './offer-access.ts'

const State = Type.Union([
  Type.Literal('pending'),
  Type.Literal('approved'),
  Type.Literal('declined'),
])
const Note = Type.String({ maxLength: 2000 })

const AccessRequest = Type.Object(
  {
    id: Type.String(),
    offer_id: Type.String(),
    offer_name: Type.String(),
    affiliate_id: Type.String(),
    affiliate_name: Type.String(),
    state: State,
    note: Type.Union([Type.String(), Type.Null()], { description: "the affiliate's words" }),
    decision_note: Type.Union([Type.String(), Type.Null()], {
      description: "the manager's words with the decision",
    }),
    decided_by: Type.Union([Type.String(), Type.Null()]),
    decided_at: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  {
    examples: [
      {
        id: '1',
        offer_id: '3',
        offer_name: 'Acme Shoes US',
        affiliate_id: '2',
        affiliate_name: 'Blue Media',
        state: 'pending',
        note: 'Email traffic, US only',
        decision_note: null,
        decided_by: null,
        decided_at: null,
        created_at: '2026-12-01T17:41:19.152Z',
        updated_at: '2026-12-01T17:41:19.152Z',
      },
    ],
  },
)

const ListQuery = Type.Object({
  ...PageQuery,
  state: Type.Optional(State),
  offer_id: Type.Optional(Type.String()),
  affiliate_id: Type.Optional(Type.String()),
})

const GrantParams = Type.Object({ id: Type.String(), affiliate_id: Type.String() })

/** Affiliates ask for approval offers; managers decide, grant and revoke. */
export function registerOfferAccessRoutes(api: App, { database }: AppContext): void {
  const tags = ['offer access']
  const { db } = database

  api.post(
    '/offers/:id/access-requests',
    {
      schema: {
        operationId: 'requestOfferAccess',
        summary: 'Ask to run an approval offer',
        description:
          'Affiliates. Answers 201 with the request, `pending`. An offer the affiliate may already run, or one it already has a pending request for, is 409 `conflict`; a private offer it was not granted is 404. After a decline it may ask again.',
        tags,
        params: IdParams,
        body: Type.Object(
          { note: Type.Optional(Note) },
          { examples: [{ note: 'Email traffic, US only' }] },
        ),
        response: { 201: AccessRequest, ...ADMIN_ERRORS },
      },
    },
    async (request, reply) => {
      const { principal } = request
      if (principal.role !== 'affiliate') {
        throw new AppError('forbidden', 'only an affiliate asks for access, for itself')
      }
      const offerId = pathId(request.params.id, 'offer')
      const created = await requestAccess(db, offerId, principal.affiliateId, request.body.note)
      return reply.status(201).send(created)
    },
  )
  api.get(
    '/access-requests',
    {
      schema: {
        operationId: 'listAccessRequests',
        summary: 'List requests for offer access',
        description:
          'Admins, managers and analysts see every request; an affiliate sees its own. Newest first, in cursor pages.',
        tags,
        querystring: ListQuery,
        response: { 200: PageOf(AccessRequest), ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const { limit = 50, ...filters } = request.query
      return listAccessRequests(db, { limit, ...filters }, request.principal)
    },
  )
  api.patch(
    '/access-requests/:id',
    {
      schema: {
        operationId: 'decideAccessRequest',
        summary: 'Approve or decline a request for offer access',
        description:
          'Admins and managers. `approved` grants the affiliate access at once; `note` is shown to the affiliate. A request already decided is 409 `conflict`.',
        tags,
        params: IdParams,
        body: Type.Object(
          {
            state: Type.Union([Type.Literal('approved'), Type.Literal('declined')]),
            note: Type.Optional(Note),
          },
          { examples: [{ state: 'approved', note: 'Welcome aboard' }] },
        ),
        response: { 200: AccessRequest, ...ADMIN_ERRORS },
      },
    },
    async (request) =>
      decideAccessRequest(db, pathId(request.params.id, 'access request'), request.body),
  )
  api.put(
    '/offers/:id/affiliates/:affiliate_id',
    {
      schema: {
        operationId: 'grantOfferAccess',
        summary: 'Let an affiliate run an offer',
        description:
          'Admins and managers. Grants an approval or private offer to the affiliate without a request; a repeat changes nothing. Answers 204.',
        tags,
        params: GrantParams,
        response: { 204: Type.Null(), ...ADMIN_ERRORS },
      },
    },
    async (request, reply) => {
      const { id, affiliate_id } = request.params
      await grantAccess(db, pathId(id, 'offer'), pathId(affiliate_id, 'affiliate'))
      return reply.status(204).send(null)
    },
  )
  api.delete(
    '/offers/:id/affiliates/:affiliate_id',
    {
      schema: {
        operationId: 'revokeOfferAccess',
        summary: "Take an affiliate's access to an offer away",
        description:
          "Admins and managers. The affiliate's next click on an approval or private offer goes to the fallback URL, or 404, as on a paused offer. Answers 204.",
        tags,
        params: GrantParams,
        response: { 204: Type.Null(), ...ADMIN_ERRORS },
      },
    },
    async (request, reply) => {
      const { id, affiliate_id } = request.params
      await revokeAccess(db, pathId(id, 'offer'), pathId(affiliate_id, 'affiliate'))
      return reply.status(204).send(null)
    },
  )
}
