// biome-ignore lint/suspicious/noEmptyInterface: filled in as the conversions capability lands
export interface ConversionTables {}
