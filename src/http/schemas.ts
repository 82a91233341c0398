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

/** The error shape, with what a status means on a route, for the OpenAPI document. */
export function errorResponse(description: string) {
  return Type.Object(
    {
      error: Type.Object({
        code: Type.String({ description: 'snake_case, from the closed list in docs/api.md' }),
        message: Type.String({ description: 'a sentence for people' }),
        details: Type.Optional(Type.Unknown({ description: '`[{field, message}]` for 400s' })),
      }),
    },
    { description },
  )
}

export const ErrorResponse = errorResponse('an error (see `error.code`)')

/** The error responses every signed-in route can give, for the OpenAPI document. */
export const ADMIN_ERRORS = {
  400: errorResponse(
    '`validation_failed` (with `details`), `invalid_json`, `invalid_cursor`, or another 400 code',
  ),
  401: errorResponse('`unauthorized`: no `Authorization: Bearer` key, or a key that is not valid'),
  403: errorResponse('`forbidden`: a role the operation does not admit (docs/api.md, Operations)'),
  404: errorResponse('`not_found`: no such id, or one this key may not see'),
}

/** A list response: `{data, next_cursor}`. */
export function PageOf<T extends Parameters<typeof Type.Array>[0]>(item: T) {
  return Type.Object({
    data: Type.Array(item),
    next_cursor: Type.Union([Type.String(), Type.Null()], {
      description: 'pass as `cursor` for the next page; null on the last page',
    }),
  })
}

/** Money or a percentage: a JSON number or a decimal string, never parsed as a float. */
export const Decimal = Type.Union([Type.Number(), Type.String()], {
  description: 'a non-negative decimal, as a JSON number or a string such as "12.50"',
})
