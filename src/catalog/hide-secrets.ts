import { type Principal, seesSecrets } from '../access/index.ts'

// The fields of catalog views that are credentials (see `seesSecrets`).
const SECRET_FIELDS = ['postback_token', 'postback_url', 'signing_secret'] as const

/** The view as this caller may read it: without its credentials unless `seesSecrets`. */
export function hideSecrets<View extends object>(view: View, principal: Principal): View {
  if (seesSecrets(principal)) return view
  const shown = { ...view }
  for (const field of SECRET_FIELDS) delete (shown as Record<string, unknown>)[field]
  return shown
}

/** A page of views, each as `hideSecrets` leaves it. */
export function hideSecretsInPage<View extends object, Page extends { data: View[] }>(
  page: Page,
  principal: Principal,
): Page {
  return seesSecrets(principal)
    ? page
    : { ...page, data: page.data.map((view) => hideSecrets(view, principal)) }
}
