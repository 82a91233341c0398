import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { AppError } from '../http/errors.ts'
import { PageQuery } from '../http/pagination.ts'
import { ADMIN_ERRORS, IdParams, PageOf, pathId } from '../http/schemas.ts'
import {
  createAdvertiser,
  getAdvertiser,
  listAdvertisers,
  updateAdvertiser,
} from './advertisers.ts'
import { hideSecrets, hideSecretsInPage } from './hide-secrets.ts'

const Advertiser = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    postback_ip_allowlist: Type.Array(Type.String()),
    postback_token: Type.Optional(Type.String({ description: 'admins and managers only' })),
    postback_url: Type.Optional(Type.String({ description: 'admins and managers only' })),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  {
    examples: [
      {
        id: '1',
        name: 'Acme Shoes',
        postback_ip_allowlist: [],
        postback_token: 'wp0MAxHIip9R1d0Hzn4H58tVyNbiilq7',
        postback_url:
          'https://track.example/postback?click_id={click_id}&txid={txid}&amount={amount}&status={status}&goal={goal}&token=wp0MAxHIip9R1d0Hzn4H58tVyNbiilq7',
        created_at: '2026-12-01T17:41:19.028Z',
        updated_at: '2026-12-01T17:41:19.028Z',
      },
    ],
  },
)

const Name = Type.String({ minLength: 1, maxLength: 200 })
const Allowlist = Type.Array(Type.String(), { maxItems: 500, description: 'IPs or CIDR ranges' })

const CreateBody = Type.Object(
  { name: Name, postback_ip_allowlist: Type.Optional(Allowlist) },
  { examples: [{ name: 'Acme Shoes' }] },
)
const UpdateBody = Type.Object({
  name: Type.Optional(Name),
  postback_ip_allowlist: Type.Optional(Allowlist),
  regenerate_postback_token: Type.Optional(Type.Boolean()),
})

// Advertisers are the network's own business: affiliates get 403 on writes, 404 on reads.
export function registerAdvertiserRoutes(api: App, { config, database }: AppContext): void {
  const tags = ['advertisers']
  const { db } = database

  api.post(
    '/advertisers',
    {
      schema: {
        operationId: 'createAdvertiser',
        summary: 'Create an advertiser',
        description:
          "Admins and managers. The answer holds the advertiser's `postback_token` (a secret) and `postback_url`, a ready-to-copy inbound postback URL with the token filled in.",
        tags,
        body: CreateBody,
        response: { 201: Advertiser, ...ADMIN_ERRORS },
      },
    },
    async (request, reply) => {
      return reply.status(201).send(await createAdvertiser(db, request.body, config.publicUrl))
    },
  )
  api.get(
    '/advertisers',
    {
      schema: {
        operationId: 'listAdvertisers',
        summary: 'List advertisers',
        description:
          'Admins, managers and analysts (an affiliate gets 404). Newest first, in cursor pages.',
        tags,
        querystring: Type.Object(PageQuery),
        response: { 200: PageOf(Advertiser), ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const { limit = 50, cursor } = request.query
      const page = await listAdvertisers(db, { limit, cursor }, config.publicUrl)
      return hideSecretsInPage(page, request.principal)
    },
  )
  api.get(
    '/advertisers/:id',
    {
      schema: {
        operationId: 'getAdvertiser',
        summary: 'Read an advertiser',
        description:
          'Admins, managers and analysts; an advertiser its own (another is 404; an affiliate gets 404).',
        tags,
        params: IdParams,
        response: { 200: Advertiser, ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const id = pathId(request.params.id, 'advertiser')
      const { principal } = request
      if (principal.role === 'advertiser' && principal.advertiserId !== id) {
        throw new AppError('not_found', `advertiser ${request.params.id} not found`)
      }
      const advertiser = await getAdvertiser(db, id, config.publicUrl)
      return hideSecrets(advertiser, request.principal)
    },
  )
  api.patch(
    '/advertisers/:id',
    {
      schema: {
        operationId: 'updateAdvertiser',
        summary: 'Change an advertiser',
        description:
          'Admins and managers. `regenerate_postback_token: true` makes a new token; the old one stops working.',
        tags,
        params: IdParams,
        body: UpdateBody,
        response: { 200: Advertiser, ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const id = pathId(request.params.id, 'advertiser')
      return updateAdvertiser(db, id, request.body, config.publicUrl)
    },
  )
}
