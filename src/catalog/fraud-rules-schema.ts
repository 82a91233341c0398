import { type Static, Type } from 'typebox'

const Action = Type.Union([Type.Literal('allow'), Type.Literal('hold'), Type.Literal('reject')], {
  description: '`hold`: stored pending (reason `held`) for review; `reject`: stored rejected',
})
const Per = Type.Union([Type.Literal('hour'), Type.Literal('day')])
const Velocity = Type.Object({
  limit: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  per: Per,
  action: Action,
})

/**
 * Fraud rules, as the network's defaults (`/settings/fraud`) and an offer's `fraud` take them;
 * an absent rule is off (on an offer: the network's applies).
 */
export const FraudRulesBody = Type.Object(
  {
    min_ctit_seconds: Type.Optional(
      Type.Object({ value: Type.Integer({ minimum: 1, maximum: 86_400 }), action: Action }),
    ),
    bot_click: Type.Optional(Type.Object({ action: Action })),
    datacenter_ip: Type.Optional(Type.Object({ action: Action })),
    country_mismatch: Type.Optional(Type.Object({ action: Action })),
    max_conversions_per_ip: Type.Optional(Velocity),
    max_conversions_per_sub1: Type.Optional(Velocity),
  },
  {
    examples: [
      {
        min_ctit_seconds: { value: 10, action: 'hold' },
        bot_click: { action: 'reject' },
        max_conversions_per_ip: { limit: 3, per: 'day', action: 'hold' },
      },
    ],
  },
)

export type FraudRulesInput = Static<typeof FraudRulesBody>

/** The rules stored on an offer row (JSON text), or null when the offer overrides none. */
export function parseStoredFraud(text: string | null): FraudRulesInput | null {
  return text ? (JSON.parse(text) as FraudRulesInput) : null
}
