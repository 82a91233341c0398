// The HTTP side of clicks, for the app: the admin routes, the tracking link's route and listener.
export { registerClickRoutes } from './clicks-routes.ts'
export { trackingLinkListener } from './tracking-link-listener.ts'
export { registerTrackingLinkRoute } from './tracking-link-route.ts'
