// The delivery domain, for other rooms and the worker process; its HTTP routes are in routes.ts.
export { cancelDeliveries } from './cancel-deliveries.ts'
export type { DeliveryEvent } from './delivery-event.ts'
export { DeliveryWorker, type WorkerOptions } from './delivery-worker.ts'
export { enqueueDeliveries, enqueueDeliveriesFor } from './enqueue-deliveries.ts'
export { type RunningWorker, runWorker } from './run-worker.ts'
