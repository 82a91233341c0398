import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { PageQuery } from '../http/pagination.ts'
import { ADMIN_ERRORS, IdParams, PageOf, pathId } from '../http/schemas.ts'
import {
  createAffiliate,
  getAffiliate,
  listAffiliates,
  rotateAffiliateKey,
  updateAffiliate,
} from './affiliates.ts'

const Status = Type.Union([Type.Literal('active'), Type.Literal('paused')])
const Name = Type.String({ minLength: 1, maxLength: 200 })

const Affiliate = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    status: Status,
    api_key: Type.Optional(Type.String({ description: 'only in the response to create' })),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  {
    examples: [
      {
        id: '1',
        name: 'Traffic Co',
        status: 'active',
        api_key: 'bt_aff_tisBeUbxBBesECqXehdce3xgjIKIAQ9PSjHdUvCgF6w',
        created_at: '2026-12-01T17:41:19.229Z',
        updated_at: '2026-12-01T17:41:19.229Z',
      },
    ],
  },
)

const CreateBody = Type.Object(
  { name: Name, status: Type.Optional(Status) },
  { examples: [{ name: 'Traffic Co' }] },
)
const UpdateBody = Type.Object({ name: Type.Optional(Name), status: Type.Optional(Status) })

export function registerAffiliateRoutes(api: App, { database }: AppContext): void {
  const tags = ['affiliates']
  const { db } = database

  api.post(
    '/affiliates',
    {
      schema: {
        operationId: 'createAffiliate',
        summary: 'Create an affiliate',
        description:
          "Admins and managers. The answer holds the affiliate's `api_key`, shown this once.",
        tags,
        body: CreateBody,
        response: { 201: Affiliate, ...ADMIN_ERRORS },
      },
    },
    async (request, reply) => {
      return reply.status(201).send(await createAffiliate(db, request.body))
    },
  )
  api.get(
    '/affiliates',
    {
      schema: {
        operationId: 'listAffiliates',
        summary: 'List affiliates',
        description: 'Newest first, in cursor pages. An affiliate key sees only itself.',
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
    {
      schema: {
        operationId: 'getAffiliate',
        summary: 'Read an affiliate',
        description: 'An affiliate key may read only itself (another id is 404).',
        tags,
        params: IdParams,
        response: { 200: Affiliate, ...ADMIN_ERRORS },
      },
    },
    async (request) => getAffiliate(db, pathId(request.params.id, 'affiliate'), request.principal),
  )
  api.patch(
    '/affiliates/:id',
    {
      schema: {
        operationId: 'updateAffiliate',
        summary: 'Change an affiliate',
        description:
          "Admins and managers. A paused affiliate's tracking links stop recording clicks.",
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
  api.post(
    '/affiliates/:id/rotate-key',
    {
      schema: {
        operationId: 'rotateAffiliateKey',
        summary: "Rotate an affiliate's API key",
        tags,
        description:
          "Admin only. A new API key, shown once in this answer; the affiliate's old key stops at once, open live feeds included.",
        params: IdParams,
        response: {
          200: Type.Object({ api_key: Type.String() }),
          ...ADMIN_ERRORS,
        },
      },
    },
    async (request) => rotateAffiliateKey(db, pathId(request.params.id, 'affiliate')),
  )
}
