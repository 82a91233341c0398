import type { Role } from '../api/api-types.ts'

/** The roles, widest first, with what each is for (docs/api.md "Roles"). */
export const ROLE_CHOICES: { value: Role; label: string }[] = [
  { value: 'admin', label: 'admin: everything, people and keys included' },
  { value: 'manager', label: 'manager: runs the network' },
  { value: 'analyst', label: 'analyst: reads the numbers' },
  { value: 'affiliate', label: "affiliate: one affiliate's people" },
  { value: 'advertiser', label: "advertiser: one advertiser's people" },
]

export function isRole(value: string | null): value is Role {
  return ROLE_CHOICES.some((choice) => choice.value === value)
}
