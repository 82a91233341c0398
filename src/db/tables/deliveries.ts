// biome-ignore lint/suspicious/noEmptyInterface: filled in as the deliveries capability lands
export interface DeliveryTables {}
