/** One `[{field, message}]` entry of a `validation_failed` answer. */
export interface FieldProblem {
  field: string
  message: string
}

/** An API answer in the `{"error": {code, message, details?}}` shape, kept whole for the page. */
export class ApiError extends Error {
  readonly code: string
  readonly status: number
  readonly details: unknown

  constructor(status: number, body: unknown) {
    const error = (body as { error?: { code?: string; message?: string; details?: unknown } })
      ?.error
    super(error?.message ?? `The server answered ${status}.`)
    this.code = error?.code ?? 'unknown'
    this.status = status
    this.details = error?.details
  }

  /** Problems that name a field, for a form to show beside it. */
  fieldProblems(): FieldProblem[] {
    if (!Array.isArray(this.details)) return []
    return this.details.filter(
      (d): d is FieldProblem =>
        typeof d === 'object' &&
        d !== null &&
        typeof d.field === 'string' &&
        typeof d.message === 'string',
    )
  }
}

/** The data of an openapi-fetch answer, or its error thrown as an ApiError. */
export function dataOrThrow<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw new ApiError(result.response.status, result.error)
  }
  return result.data as T
}
