import { Type } from 'typebox'
import { parseId } from '../shared/ids.ts'
import { AppError } from './errors.ts'

/** `{id}` in a path. Any string is accepted so a malformed id is a 404, like an absent one. */
export const IdParams = Type.Object({ id: Type.String() })

/** The integer behind a path id, or a 404 naming the kind of thing that was not found. */
export function pathId(text: string, kind: string): number {
  const id = parseId(text)
  if (id === undefined) throw new AppError('not_found', `${kind} ${text} not found`)
  return id
}

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
})

/** A list response: `{data, next_cursor}`. */
export function PageOf<T extends Parameters<typeof Type.Array>[0]>(item: T) {
  return Type.Object({
    data: Type.Array(item),
    next_cursor: Type.Union([Type.String(), Type.Null()]),
  })
}

/** The error responses every admin route can give, for the OpenAPI document. */
export const ADMIN_ERRORS = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
}

/** Money or a percentage: a JSON number or a decimal string, never parsed as a float. */
export const Decimal = Type.Union([Type.Number(), Type.String()], {
  description: 'a non-negative decimal, as a JSON number or a string such as "12.50"',
})
