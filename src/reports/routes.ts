// The HTTP side of reports, for the app.
export { registerLiveRoutes } from './live-routes.ts'
export { registerReportRoutes } from './reports-routes.ts'
