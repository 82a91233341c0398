import type { QueryClient } from '@tanstack/react-query'
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  parseSearchWith,
  redirect,
  stringifySearchWith,
} from '@tanstack/react-router'
import type { AuditFilter } from './access/access-queries.ts'
import { SESSION_QUERY } from './access/session.ts'
import { SignInPage } from './access/sign-in-page.tsx'
import { ACCESS_STATES, type AccessRequestFilter } from './catalog/offer-access-queries.ts'
import { clickSearch } from './clicks/click-search.ts'
import { CONVERSION_STATUSES, type ConversionStatus } from './conversions/conversion-statuses.ts'
import { POSTBACK_RESULTS, type PostbackResult } from './conversions/postback-results.ts'
import { PERIOD_KEYS, type PeriodKey, RANKS, type Rank } from './dashboard/periods.ts'
import { DELIVERY_STATES, type DeliveryState } from './delivery/delivery-states.ts'
import { BLOCKLIST_TYPES, type BlocklistType } from './fraud/blocklist-queries.ts'
import { reportSearch } from './reports/groupings.ts'
import {
  type ListSearch,
  listSearch,
  optionalChoice,
  optionalText,
  STATUSES,
  type Status,
} from './shared/search-params.ts'
import { AppShell } from './shell/app-shell.tsx'

export interface RouterContext {
  queryClient: QueryClient
}

const BLOCKLIST_TYPE_NAMES = BLOCKLIST_TYPES.map((type) => type.value)
interface BlocklistSearch {
  cursor?: string
  type?: BlocklistType
  offer_id?: string
}

const root = createRootRouteWithContext<RouterContext>()({ component: Outlet })

const signIn = createRoute({
  getParentRoute: () => root,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => ({
    redirect: optionalText(search.redirect),
  }),
  component: SignInPage,
})

const acceptInvite = createRoute({
  getParentRoute: () => root,
  path: '/accept-invite',
  component: lazyRouteComponent(
    () => import('./access/accept-invite-page.tsx'),
    'AcceptInvitePage',
  ),
})

// Every page but sign-in and accepting an invite: a signed-out visitor is sent to sign in, then brought back.
const app = createRoute({
  getParentRoute: () => root,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData(SESSION_QUERY)
    if (!session) throw redirect({ to: '/sign-in', search: { redirect: location.href } })
    // A staff member the server asks to set up two-factor (BACKTRACK_REQUIRE_2FA=staff) can do
    // nothing else until then: every other call would be refused.
    if (
      session.kind === 'user' &&
      session.twoFactorSetupRequired &&
      location.pathname !== '/two-factor'
    )
      throw redirect({ to: '/two-factor' })
    return { session }
  },
  component: AppShell,
})

// Pages load when first opened, so the first page downloads only itself.
function page<P extends string, M extends Record<string, unknown>>(
  path: P,
  load: () => Promise<M>,
  name: keyof M & string,
) {
  return {
    getParentRoute: () => app,
    path,
    // biome-ignore lint/suspicious/noExplicitAny: each page module exports its component by name
    component: lazyRouteComponent(load as () => Promise<Record<string, any>>, name),
  }
}

const dashboard = createRoute({
  ...page('/', () => import('./dashboard/dashboard-page.tsx'), 'DashboardPage'),
  validateSearch: (search: Record<string, unknown>): { period?: PeriodKey; rank?: Rank } => ({
    period: optionalChoice(search.period, PERIOD_KEYS),
    rank: optionalChoice(search.rank, RANKS),
  }),
})
const offers = createRoute({
  ...page('/offers', () => import('./catalog/offers-page.tsx'), 'OffersPage'),
  validateSearch: (
    search: Record<string, unknown>,
  ): ListSearch & { status?: Status; advertiser_id?: string } => ({
    ...listSearch(search),
    status: optionalChoice(search.status, STATUSES),
    advertiser_id: optionalText(search.advertiser_id),
  }),
})
const newOffer = createRoute(
  page('/offers/new', () => import('./catalog/offer-form-page.tsx'), 'NewOfferPage'),
)
const editOffer = createRoute(
  page('/offers/$id', () => import('./catalog/offer-form-page.tsx'), 'EditOfferPage'),
)
const advertisers = createRoute({
  ...page('/advertisers', () => import('./catalog/advertisers-page.tsx'), 'AdvertisersPage'),
  validateSearch: listSearch,
})
const newAdvertiser = createRoute(
  page('/advertisers/new', () => import('./catalog/advertiser-form-page.tsx'), 'NewAdvertiserPage'),
)
const editAdvertiser = createRoute(
  page(
    '/advertisers/$id',
    () => import('./catalog/advertiser-form-page.tsx'),
    'EditAdvertiserPage',
  ),
)
const affiliates = createRoute({
  ...page('/affiliates', () => import('./catalog/affiliates-page.tsx'), 'AffiliatesPage'),
  validateSearch: (search: Record<string, unknown>): ListSearch & { status?: Status } => ({
    ...listSearch(search),
    status: optionalChoice(search.status, STATUSES),
  }),
})
const newAffiliate = createRoute(
  page('/affiliates/new', () => import('./catalog/affiliate-form-page.tsx'), 'NewAffiliatePage'),
)
const editAffiliate = createRoute(
  page('/affiliates/$id', () => import('./catalog/affiliate-form-page.tsx'), 'EditAffiliatePage'),
)
const conversions = createRoute({
  ...page('/conversions', () => import('./conversions/conversions-page.tsx'), 'ConversionsPage'),
  validateSearch: (
    search: Record<string, unknown>,
  ): { cursor?: string; status?: ConversionStatus; offer_id?: string; affiliate_id?: string } => ({
    cursor: optionalText(search.cursor),
    status: optionalChoice(search.status, CONVERSION_STATUSES),
    offer_id: optionalText(search.offer_id),
    affiliate_id: optionalText(search.affiliate_id),
  }),
})
const review = createRoute({
  ...page('/review', () => import('./conversions/review-queue-page.tsx'), 'ReviewQueuePage'),
  validateSearch: (
    search: Record<string, unknown>,
  ): { cursor?: string; offer_id?: string; affiliate_id?: string } => ({
    cursor: optionalText(search.cursor),
    offer_id: optionalText(search.offer_id),
    affiliate_id: optionalText(search.affiliate_id),
  }),
})
const fraudRules = createRoute(
  page('/fraud-rules', () => import('./conversions/fraud-settings-page.tsx'), 'FraudSettingsPage'),
)
const clicks = createRoute({
  ...page('/clicks', () => import('./clicks/clicks-page.tsx'), 'ClicksPage'),
  validateSearch: clickSearch,
})
const click = createRoute(
  page('/clicks/$clickId', () => import('./clicks/click-page.tsx'), 'ClickPage'),
)
const conversion = createRoute(
  page('/conversions/$id', () => import('./conversions/conversion-page.tsx'), 'ConversionPage'),
)
const reports = createRoute({
  ...page('/reports', () => import('./reports/reports-page.tsx'), 'ReportsPage'),
  validateSearch: reportSearch,
})
const postbackLog = createRoute({
  ...page('/postback-log', () => import('./conversions/postback-log-page.tsx'), 'PostbackLogPage'),
  validateSearch: (
    search: Record<string, unknown>,
  ): { cursor?: string; result?: PostbackResult; reason?: string; click_id?: string } => ({
    cursor: optionalText(search.cursor),
    result: optionalChoice(search.result, POSTBACK_RESULTS),
    reason: optionalText(search.reason),
    click_id: optionalText(search.click_id),
  }),
})
const deliveries = createRoute({
  ...page('/deliveries', () => import('./delivery/deliveries-page.tsx'), 'DeliveriesPage'),
  validateSearch: (
    search: Record<string, unknown>,
  ): { cursor?: string; state?: DeliveryState } => ({
    cursor: optionalText(search.cursor),
    state: optionalChoice(search.state, DELIVERY_STATES),
  }),
})

const postbacks = createRoute({
  ...page('/postbacks', () => import('./catalog/postbacks-page.tsx'), 'PostbacksPage'),
  validateSearch: (
    search: Record<string, unknown>,
  ): { cursor?: string; affiliate_id?: string } => ({
    cursor: optionalText(search.cursor),
    affiliate_id: optionalText(search.affiliate_id),
  }),
})
const blocklist = createRoute({
  ...page('/blocklist', () => import('./fraud/blocklist-page.tsx'), 'BlocklistPage'),
  validateSearch: (search: Record<string, unknown>): BlocklistSearch => ({
    cursor: optionalText(search.cursor),
    type: optionalChoice(search.type, BLOCKLIST_TYPE_NAMES),
    offer_id: optionalText(search.offer_id),
  }),
})
const newPostback = createRoute(
  page('/postbacks/new', () => import('./catalog/postback-form-page.tsx'), 'NewPostbackPage'),
)
const editPostback = createRoute(
  page('/postbacks/$id', () => import('./catalog/postback-form-page.tsx'), 'EditPostbackPage'),
)
const integration = createRoute(
  page('/integration', () => import('./integration/integration-page.tsx'), 'IntegrationPage'),
)
const accessRequests = createRoute({
  ...page(
    '/access-requests',
    () => import('./catalog/access-requests-page.tsx'),
    'AccessRequestsPage',
  ),
  validateSearch: (search: Record<string, unknown>): AccessRequestFilter => ({
    cursor: optionalText(search.cursor),
    state: optionalChoice(search.state, ACCESS_STATES),
    offer_id: optionalText(search.offer_id),
    affiliate_id: optionalText(search.affiliate_id),
  }),
})
const links = createRoute({
  ...page('/links', () => import('./portal/links-page.tsx'), 'LinksPage'),
  validateSearch: (search: Record<string, unknown>): { offer_id?: string } => ({
    offer_id: optionalText(search.offer_id),
  }),
})
const payouts = createRoute({
  ...page('/payouts', () => import('./portal/payouts-page.tsx'), 'PayoutsPage'),
  validateSearch: (search: Record<string, unknown>): { month?: string } => {
    const month = optionalText(search.month)
    return { month: month && /^\d{4}-\d{2}$/.test(month) ? month : undefined }
  },
})
const twoFactor = createRoute(
  page('/two-factor', () => import('./access/two-factor-page.tsx'), 'TwoFactorPage'),
)
const changePassword = createRoute(
  page('/change-password', () => import('./access/change-password-page.tsx'), 'ChangePasswordPage'),
)
const users = createRoute(page('/users', () => import('./access/users-page.tsx'), 'UsersPage'))
const apiKeys = createRoute(
  page('/api-keys', () => import('./access/api-keys-page.tsx'), 'ApiKeysPage'),
)
const auditLog = createRoute({
  ...page('/audit-log', () => import('./access/audit-log-page.tsx'), 'AuditLogPage'),
  validateSearch: (search: Record<string, unknown>): AuditFilter => ({
    cursor: optionalText(search.cursor),
    entity: optionalText(search.entity),
    entity_id: optionalText(search.entity_id),
    actor_id: optionalText(search.actor_id),
  }),
})

const routeTree = root.addChildren([
  signIn,
  acceptInvite,
  app.addChildren([
    dashboard,
    offers,
    newOffer,
    editOffer,
    advertisers,
    newAdvertiser,
    editAdvertiser,
    affiliates,
    newAffiliate,
    editAffiliate,
    postbacks,
    newPostback,
    editPostback,
    blocklist,
    conversions,
    conversion,
    review,
    fraudRules,
    clicks,
    click,
    reports,
    postbackLog,
    deliveries,
    users,
    apiKeys,
    twoFactor,
    changePassword,
    auditLog,
    integration,
    accessRequests,
    links,
    payouts,
  ]),
])

/** The app's router; its context carries the query cache the guards and loaders share. */
export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    // Search params stay plain text in the URL (`?actor_id=3`, not the default
    // `?actor_id=%223%22`), so a shared view reads as typed; each page's validateSearch reads
    // them back as text.
    parseSearch: parseSearchWith((value) => value),
    stringifySearch: stringifySearchWith(JSON.stringify),
  })
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>
  }
}
