import { AppError } from './errors.ts'

const DATE = /^\d{4}-\d{2}-\d{2}$/
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/
const DAY_MS = 86_400_000

/**
 * A `from`/`to` query parameter as epoch ms. A date means the whole UTC day: `from` its start,
 * `to` its end, so `from=2026-01-01&to=2026-01-01` is that day. A datetime without an offset is UTC.
 * `from` is inclusive; the result for `to` is an exclusive bound.
 */
export function parseTimeFilter(text: string, bound: 'from' | 'to'): number {
  const isDate = DATE.test(text)
  if (!isDate && !DATETIME.test(text)) throw invalid(text, bound)
  const utc = isDate || /(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`
  const ms = Date.parse(isDate ? `${utc}T00:00:00Z` : utc)
  if (Number.isNaN(ms)) throw invalid(text, bound)
  if (bound === 'from') return ms
  return isDate ? ms + DAY_MS : ms + 1
}

function invalid(text: string, bound: string): AppError {
  return new AppError('validation_failed', `${bound} must be an ISO date or datetime`, [
    { field: bound, message: `"${text.slice(0, 40)}" is not an ISO date or datetime` },
  ])
}
