import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { PageQuery } from '../http/pagination.ts'
import { ADMIN_ERRORS, IdParams, PageOf, pathId } from '../http/schemas.ts'
import { createAffiliate, getAffiliate, listAffiliates, updateAffiliate } from './affiliates.ts'

const Status = Type.Union([Type.Literal('active'), Type.Literal('paused')])
const Name = Type.String({ minLength: 1, maxLength: 200 })

const Affiliate = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: Status,
  api_key: Type.Optional(Type.String({ description: 'only in the response to create' })),
  created_at: Type.String(),
  updated_at: Type.String(),
})

const CreateBody = Type.Object({ name: Name, status: Type.Optional(Status) })
const UpdateBody = Type.Object({ name: Type.Optional(Name), status: Type.Optional(Status) })

export function registerAffiliateRoutes(api: App, { database }: AppContext): void {
  const tags = ['affiliates']
  const { db } = database

  api.post(
    '/affiliates',
    { schema: { tags, body: CreateBody, response: { 201: Affiliate, ...ADMIN_ERRORS } } },
    async (request, reply) => {
      return reply.status(201).send(await createAffiliate(db, request.body))
    },
  )
  api.get(
    '/affiliates',
    {
      schema: {
        tags,
        querystring: Type.Object({ ...PageQuery, status: Type.Optional(Status) }),
        response: { 200: PageOf(Affiliate), ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const { limit = 50, ...filters } = request.query
      return listAffiliates(db, { limit, ...filters }, request.principal)
    },
  )
  api.get(
    '/affiliates/:id',
    { schema: { tags, params: IdParams, response: { 200: Affiliate, ...ADMIN_ERRORS } } },
    async (request) => getAffiliate(db, pathId(request.params.id, 'affiliate'), request.principal),
  )
  api.patch(
    '/affiliates/:id',
    {
      schema: {
        tags,
        params: IdParams,
        body: UpdateBody,
        response: { 200: Affiliate, ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      return updateAffiliate(db, pathId(request.params.id, 'affiliate'), request.body)
    },
  )
}
