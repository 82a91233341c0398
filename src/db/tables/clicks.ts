// biome-ignore lint/suspicious/noEmptyInterface: filled in as the clicks capability lands
export interface ClickTables {}
