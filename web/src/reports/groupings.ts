/** The dimensions a report can be grouped by, as `group_by` names them. */
export const GROUPINGS = [
  'day',
  'hour',
  'offer_id',
  'affiliate_id',
  'goal',
  'country',
  'device',
  'source',
  'sub1',
  'is_bot',
  'blocked_reason',
] as const
export type Grouping = (typeof GROUPINGS)[number]
