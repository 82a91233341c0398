import { FraudRulesBody } from '../catalog/index.ts'
import type { App } from '../http/app.ts'
import type { AppContext } from '../http/app-context.ts'
import { ADMIN_ERRORS } from '../http/schemas.ts'
import { readFraudDefaults, writeFraudDefaults } from './fraud-settings.ts'

/** The network's default fraud rules; an offer's `fraud` overrides them rule by rule. */
export function registerFraudSettingsRoutes(api: App, { database }: AppContext): void {
  const tags = ['fraud']
  const { db } = database
  api.get(
    '/settings/fraud',
    {
      schema: {
        operationId: 'getFraudSettings',
        summary: 'Read the network fraud rules',
        description:
          'Admins, managers and analysts. The rules every offer uses unless its own `fraud` sets the same rule; an absent rule is off.',
        tags,
        response: { 200: FraudRulesBody, ...ADMIN_ERRORS },
      },
    },
    async () => readFraudDefaults(db),
  )
  api.put(
    '/settings/fraud',
    {
      schema: {
        operationId: 'putFraudSettings',
        summary: 'Replace the network fraud rules',
        description:
          'Admins and managers. Replaces every default rule (leave a rule out to turn it off); postbacks recorded from then on use them.',
        tags,
        body: FraudRulesBody,
        response: { 200: FraudRulesBody, ...ADMIN_ERRORS },
      },
    },
    async (request) => writeFraudDefaults(db, request.body),
  )
}
