// Typed readers for URL search params: whatever a person types in the address bar, a page gets
// either a value of the right kind or nothing.

export function optionalText(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value)
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
