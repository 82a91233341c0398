export const CONVERSION_STATUSES = ['pending', 'approved', 'rejected'] as const
export type ConversionStatus = (typeof CONVERSION_STATUSES)[number]
