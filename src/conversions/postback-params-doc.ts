import { Type } from 'typebox'
import { PARAMETER_ALIASES } from './postback-params.ts'

type Canonical = (typeof PARAMETER_ALIASES)[string]

const MEANING: Record<Canonical, string> = {
  click_id: 'Required. The click id Backtrack put in the redirect (`{click_id}`).',
  txid: "The advertiser's own id of this conversion: the same txid again is a duplicate (or an update of its status).",
  goal: 'The goal key; without it, `default` (the offer itself).',
  amount:
    "The sale amount, a non-negative decimal in the offer's currency (for percent revenue or payout).",
  revenue:
    "The revenue the advertiser reports, a non-negative decimal in the offer's currency: the conversion's revenue when the goal's `revenue_type` is `reported` (then required), always stored as `reported_revenue`.",
  adv1: "The advertiser's own value, up to 500 characters, stored on the conversion (macro `{adv1}`).",
  adv2: "The advertiser's own value, up to 500 characters (macro `{adv2}`).",
  adv3: "The advertiser's own value, up to 500 characters (macro `{adv3}`).",
  adv4: "The advertiser's own value, up to 500 characters (macro `{adv4}`).",
  adv5: "The advertiser's own value, up to 500 characters (macro `{adv5}`).",
  status:
    '`approved` (default), `pending` or `rejected`; also approve, confirmed, sale, 1 / lead, hold, 2, 5 / reject, declined, 3, in any case.',
  currency: "ISO 4217 code; must be the offer's currency.",
  token: "The advertiser's `postback_token`, unless the call is signed (Standard Webhooks).",
  ip: "The converting user's IP as the advertiser saw it: the fraud rules `country_mismatch` and `datacenter_ip` judge it.",
}

/**
 * The inbound postback's parameters and every alias, for the OpenAPI document only: the route
 * reads them itself (postback-params.ts), so this list is built from the same alias table.
 */
export const PostbackParamsDoc = Type.Object(
  Object.fromEntries(
    Object.entries(PARAMETER_ALIASES).map(([name, canonical]) => [
      name,
      Type.Optional(
        Type.String({
          description: name === canonical ? MEANING[canonical] : `Alias of \`${canonical}\`.`,
        }),
      ),
    ]),
  ),
  {
    examples: [
      {
        click_id: 'AgEBABVwYHD1JksWDPajSjkDqhkSqQ',
        txid: 'ORDER-1001',
        goal: 'sale',
        amount: '120.00',
      },
    ],
  },
)

/** Standard Webhooks headers: a signed call needs no `token`. */
export const SignatureHeadersDoc = Type.Object({
  'webhook-id': Type.Optional(Type.String({ description: 'any id of the message' })),
  'webhook-timestamp': Type.Optional(
    Type.String({ description: 'Unix seconds, within 5 minutes of the server clock' }),
  ),
  'webhook-signature': Type.Optional(
    Type.String({
      description:
        "`v1,<base64 HMAC-SHA256>` keyed with the advertiser's token (its UTF-8 bytes) over `id.timestamp.payload`; the payload is the raw body of a POST, the query string of a GET",
    }),
  ),
})
