export const POSTBACK_RESULTS = ['accepted', 'duplicate', 'updated', 'rejected', 'error'] as const
export type PostbackResult = (typeof POSTBACK_RESULTS)[number]
