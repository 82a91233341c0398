import type { BlocklistType } from '../db/tables/clicks.ts'

export const BLOCKLIST_TYPES: readonly BlocklistType[] = [
  'ip',
  'cidr',
  'user_agent',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'source',
  'affiliate',
]

/**
 * Why a click went to the fallback URL: outside the offer's targeting (`country`, `device`,
 * `os`, `schedule`), matched by a blocklist entry (`blocklist_<type>`), or past a click cap.
 */
export type BlockedReason =
  | 'country'
  | 'device'
  | 'os'
  | 'schedule'
  | `blocklist_${BlocklistType}`
  | 'cap_reached'

export const BLOCKED_REASONS: readonly BlockedReason[] = [
  'country',
  'device',
  'os',
  'schedule',
  ...BLOCKLIST_TYPES.map((type): BlockedReason => `blocklist_${type}`),
  'cap_reached',
]
