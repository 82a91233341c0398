import { Type } from 'typebox'
import { AppError } from './errors.ts'

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  cursor: Type.Optional(Type.String({ description: 'next_cursor from the previous page' })),
}

export interface Page<T> {
  data: T[]
  next_cursor: string | null
}

/** Cursors are opaque to clients; inside they are the last id of the previous page. */
export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined || cursor === '') return undefined
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  if (!/^[1-9]\d{0,14}$/.test(text)) throw new AppError('invalid_cursor', 'cursor is not valid')
  return Number(text)
}

/** Rows come in fetched with one extra row; its presence means there is a next page. */
export function toPage<R extends { id: number }, T>(
  rows: R[],
  limit: number,
  present: (row: R) => T,
): Page<T> {
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  const more = rows.length > limit && last !== undefined
  return {
    data: page.map(present),
    next_cursor: more ? Buffer.from(String(last.id)).toString('base64url') : null,
  }
}
