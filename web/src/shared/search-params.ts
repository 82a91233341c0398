// Typed readers for URL search params: whatever a person types in the address bar, a page gets
// either a value of the right kind or nothing.

export function optionalText(value: unknown): string | undefined {
  // The URL's reader turns `3` and `true` into a number and a boolean; here they are text again.
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return typeof value === 'string' && value !== '' ? value : undefined
}

export function optionalChoice<T extends string>(
  value: unknown,
  choices: readonly T[],
): T | undefined {
  return choices.find((choice) => choice === value)
}

/** Cursor pagination and a name search: what every list page keeps in its URL. */
export interface ListSearch {
  cursor?: string
  q?: string
}

export function listSearch(search: Record<string, unknown>): ListSearch {
  return { cursor: optionalText(search.cursor), q: optionalText(search.q) }
}

export const STATUSES = ['active', 'paused'] as const
export type Status = (typeof STATUSES)[number]
