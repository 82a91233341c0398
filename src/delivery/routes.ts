// The HTTP side of delivery, for the app.
export { registerDeliveryRoutes } from './deliveries-routes.ts'
