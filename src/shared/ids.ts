/** Entity ids are database integers, exchanged as decimal strings (the contract's ids are strings). */
export function formatId(id: number): string {
  return String(id)
}

/** A path or body id back to its integer, or undefined when it cannot name any row. */
export function parseId(text: unknown): number | undefined {
  if (typeof text === 'number' && Number.isSafeInteger(text) && text > 0) return text
  if (typeof text !== 'string' || !/^[1-9]\d{0,14}$/.test(text)) return undefined
  return Number(text)
}
