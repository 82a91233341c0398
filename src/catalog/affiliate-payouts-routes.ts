import { Type } from 'typebox'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { ADMIN_ERRORS, Decimal, IdParams, pathId } from '../http/schemas.ts'
import { parseId } from '../shared/ids.ts'
import {
  listAffiliatePayouts,
  removeAffiliatePayout,
  setAffiliatePayout,
} from './affiliate-payouts.ts'

const RateType = Type.Union([Type.Literal('fixed'), Type.Literal('percent')])
const GoalKey = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })

const AffiliatePayout = Type.Object(
  {
    id: Type.String(),
    offer_id: Type.String(),
    affiliate_id: Type.String(),
    affiliate_name: Type.String(),
    goal: Type.Union([Type.String(), Type.Null()], {
      description: 'a goal key (`default`: the offer itself), or null: every goal without its own',
    }),
    payout: Type.Number(),
    payout_type: RateType,
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  {
    examples: [
      {
        id: '1',
        offer_id: '3',
        affiliate_id: '2',
        affiliate_name: 'Blue Media',
        goal: null,
        payout: 2.1,
        payout_type: 'fixed',
        created_at: '2026-12-01T17:41:19.152Z',
        updated_at: '2026-12-01T17:41:19.152Z',
      },
    ],
  },
)

const PayoutParams = Type.Object({ id: Type.String(), affiliate_id: Type.String() })

/** One affiliate's own payout on an offer, which wins over the offer's and the goal's. */
export function registerAffiliatePayoutRoutes(api: App, { database }: AppContext): void {
  const tags = ['offer access']
  const { db } = database

  api.put(
    '/offers/:id/payouts/:affiliate_id',
    {
      schema: {
        operationId: 'setAffiliatePayout',
        summary: "Set an affiliate's own payout on an offer",
        description:
          "Admins and managers. For one goal (`default` is the offer itself), or, without `goal`, for every goal without its own rule. It wins over the offer's and the goal's payout in new conversions' money, in reports and in the `{payout}` macro. Replaces the rule for the same goal.",
        tags,
        params: PayoutParams,
        body: Type.Object(
          {
            payout: Decimal,
            payout_type: Type.Optional(RateType),
            goal: Type.Optional(Type.Union([GoalKey, Type.Null()])),
          },
          { examples: [{ payout: '2.10' }, { payout: 12, payout_type: 'percent', goal: 'sale' }] },
        ),
        response: { 200: AffiliatePayout, ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const { id, affiliate_id } = request.params
      const offerId = pathId(id, 'offer')
      return setAffiliatePayout(db, offerId, pathId(affiliate_id, 'affiliate'), request.body)
    },
  )
  api.get(
    '/offers/:id/payouts',
    {
      schema: {
        operationId: 'listAffiliatePayouts',
        summary: "List an offer's per-affiliate payouts",
        description: 'Admins, managers and analysts. By affiliate, then goal.',
        tags,
        params: IdParams,
        querystring: Type.Object({ affiliate_id: Type.Optional(Type.String()) }),
        response: { 200: Type.Object({ data: Type.Array(AffiliatePayout) }), ...ADMIN_ERRORS },
      },
    },
    async (request) => {
      const offerId = pathId(request.params.id, 'offer')
      const affiliate = request.query.affiliate_id
      const affiliateId = affiliate === undefined ? undefined : (parseId(affiliate) ?? 0)
      return { data: await listAffiliatePayouts(db, offerId, affiliateId) }
    },
  )
  api.delete(
    '/offers/:id/payouts/:affiliate_id',
    {
      schema: {
        operationId: 'removeAffiliatePayout',
        summary: "Remove an affiliate's own payout",
        description:
          'Admins and managers. `?goal=` names the rule (omitted: the rule for every goal). Answers 204; conversions already recorded keep their money.',
        tags,
        params: PayoutParams,
        querystring: Type.Object({ goal: Type.Optional(GoalKey) }),
        response: { 204: Type.Null(), ...ADMIN_ERRORS },
      },
    },
    async (request, reply) => {
      const { id, affiliate_id } = request.params
      const offerId = pathId(id, 'offer')
      await removeAffiliatePayout(
        db,
        offerId,
        pathId(affiliate_id, 'affiliate'),
        request.query.goal,
      )
      return reply.status(204).send(null)
    },
  )
}
