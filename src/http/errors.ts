/**
 * Every error code Backtrack answers with, and its HTTP status. The set is closed: a new code is
 * added here, so the API reference and clients can rely on the list.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  invalid_json: 400,
  invalid_url: 400,
  private_target: 400,
  invalid_amount: 400,
  invalid_cursor: 400,
  unknown_currency: 400,
  unknown_advertiser: 400,
  unknown_offer: 400,
  unknown_affiliate: 400,
  duplicate_goal: 400,
  unknown_goal: 400,
  unknown_macro: 400,
  missing_click_id: 400,
  missing_revenue: 400,
  invalid_click_id: 400,
  invalid_status: 400,
  currency_mismatch: 400,
  duplicate_parameter: 400,
  body_too_large: 400,
  unsupported_content_type: 400,
  weak_password: 400,
  unauthorized: 401,
  invalid_token: 401,
  invalid_signature: 401,
  invalid_credentials: 401,
  code_required: 401,
  invalid_code: 401,
  forbidden: 403,
  hidden_field: 403,
  ip_not_allowed: 403,
  csrf_failed: 403,
  two_factor_setup_required: 403,
  not_found: 404,
  unknown_click: 404,
  method_not_allowed: 405,
  conflict: 409,
  click_purged: 410,
  invalid_status_transition: 409,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  rate_limited: 429,
  too_many_attempts: 429,
  internal_error: 500,
  unavailable: 503,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

/** The one error type the API raises; the error handler turns it into `{"error":{…}}`. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly details: unknown
  /** Extra response headers, such as `Retry-After`. */
  readonly headers: Record<string, string> | undefined
  readonly #status: number | undefined

  /**
   * `status` overrides the code's usual one, for the one code that means the same thing in two
   * places: `invalid_token` is a refused credential (401) on the postback path and a bad form
   * field (400) when an invite is accepted.
   */
  constructor(
    code: ErrorCode,
    message: string,
    details?: unknown,
    options: { status?: number; headers?: Record<string, string> } = {},
  ) {
    super(message)
    this.code = code
    this.details = details
    this.#status = options.status
    this.headers = options.headers
  }

  get status(): number {
    return this.#status ?? ERROR_STATUS[this.code]
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown }
}

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } }
}
