import { AppError } from '../http/errors.ts'

const DATE = /^\d{4}-\d{2}-\d{2}$/
const DAY_MS = 86_400_000

/**
 * A `from`/`to` filter as epoch ms: a date is the whole UTC day (`to` its end, exclusive), a
 * datetime without an offset is UTC.
 */
export function parseTimeBound(text: string, bound: 'from' | 'to'): number {
  const isDate = DATE.test(text)
  const withZone = isDate || /(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+)?(Z|[+-]\d{2}:\d{2})?$/.test(withZone)
    ? Date.parse(isDate ? `${withZone}T00:00:00Z` : withZone)
    : Number.NaN
  if (Number.isNaN(ms)) {
    throw new AppError('validation_failed', `${bound} must be an ISO date or datetime`, [
      { field: bound, message: `"${text.slice(0, 40)}" is not an ISO date or datetime` },
    ])
  }
  if (bound === 'from') return ms
  return isDate ? ms + DAY_MS : ms + 1
}
