import { formatId } from '../shared/ids.ts'
import { type Principal, STAFF, scopeOf } from './roles.ts'
import type { UserRow } from './users.ts'

/** The principal of a signed-in user, or undefined when the user may not act at all. */
export function principalOfUser(
  row: UserRow,
  options: { require2fa: 'off' | 'staff'; csrfToken?: string },
): Principal | undefined {
  if (row.disabled_at !== null) return undefined
  const scope = scopeOf(row)
  if (!scope) return undefined
  const setupRequired =
    options.require2fa === 'staff' && STAFF.includes(row.role) && row.totp_secret === null
  return {
    ...scope,
    actor: { type: 'user', id: formatId(row.id), name: row.name || row.email },
    userId: row.id,
    ...(options.csrfToken === undefined ? {} : { csrfToken: options.csrfToken }),
    ...(setupRequired ? { twoFactorSetupRequired: true } : {}),
  }
}
