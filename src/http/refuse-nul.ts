import type { FastifyRequest } from 'fastify'
import { AppError } from './errors.ts'

/** The one message a NUL character gets, wherever it arrives. */
export const NUL_MESSAGE = 'contains a NUL character (U+0000)'

/** Text as an error may quote it: a NUL inside is written `\0`, since no database stores NUL. */
export function showNul(text: string): string {
  return text.replaceAll('\0', '\\0')
}

/**
 * A preValidation hook: 400 `validation_failed` for a NUL (U+0000) in any string or property name
 * of the JSON body, the query string or the path. PostgreSQL cannot store NUL in text and
 * node:sqlite cuts a string at it, so one is refused here for every route rather than answered 500
 * or stored as a different value.
 */
export async function refuseNulCharacters(request: FastifyRequest): Promise<void> {
  for (const value of [request.params, request.query, request.body]) {
    const field = nulField(value, '')
    if (field !== undefined) {
      throw new AppError('validation_failed', `${field} ${NUL_MESSAGE}`, [
        { field, message: NUL_MESSAGE },
      ])
    }
  }
}

/** The dotted path of the first string or name holding a NUL, or undefined. */
function nulField(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path || 'body' : undefined
  if (value === null || typeof value !== 'object') return undefined
  for (const [key, item] of Object.entries(value)) {
    const inner = path === '' ? key : `${path}.${key}`
    if (key.includes('\0')) return showNul(inner)
    const found = nulField(item, inner)
    if (found !== undefined) return found
  }
  return undefined
}
