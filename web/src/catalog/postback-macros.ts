import { POSTBACK_MACROS } from '../../../src/shared/macro-names.ts'
import { unknownMacros } from '../../../src/shared/macros.ts'

// The server's own macro list and parser, bundled at build time: the console flags exactly what
// the API would refuse.

/** Every macro a postback URL or body template may use, in the contract's order. */
export const MACROS: readonly string[] = [...POSTBACK_MACROS]

/** The field's error while typing: the macros the server does not know, or null. */
export function macroProblem(template: string): string | null {
  const unknown = unknownMacros(template, POSTBACK_MACROS)
  if (unknown.length === 0) return null
  return `Unknown macro${unknown.length > 1 ? 's' : ''}: ${unknown.map((name) => `{${name}}`).join(', ')}`
}
