import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { isDatabaseUnavailable } from '../db/database-unavailable.ts'
import type { App } from './app.ts'
import { AppError, type ErrorBody, type ErrorCode, errorBody } from './errors.ts'
import { compileValidator } from './validation.ts'
import type { PageFallback } from './web-app.ts'

// Fastify's own 4xx errors (body parsing, limits) mapped onto our closed set of codes.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
}

/** The one place errors become responses: known errors keep their code, unknown ones are a 500. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const { status, body, headers } = errorReply(error, request)
  if (headers) void reply.headers(headers)
  return reply.status(status).send(body)
}

export interface ErrorReply {
  status: number
  body: ErrorBody
  /** Headers the answer carries, such as `Retry-After`. */
  headers?: Record<string, string>
}

/** The status and body `handleError` answers an error with; an unknown error is logged here. */
export function errorReply(error: FastifyError | AppError, request: FastifyRequest): ErrorReply {
  if (error instanceof AppError) {
    return {
      status: error.status,
      body: errorBody(error.code, error.message, error.details),
      headers: error.headers,
    }
  }
  if (error.validation) {
    const details = error.validation.map((issue) => ({
      field: issueField(error.validationContext, issue.instancePath, issue.params),
      message: issueMessage(error.validationContext, issue.keyword, issue.message),
    }))
    // An unknown field leads the message: it is most often the misspelling behind the rest.
    const unknown = error.validation.findIndex((issue) => issue.keyword === 'additionalProperties')
    const first = details[unknown === -1 ? 0 : unknown]
    const message = first ? `${first.field} ${first.message}` : 'request is invalid'
    return { status: 400, body: errorBody('validation_failed', message, details) }
  }
  const mapped = error.code ? FASTIFY_CODES[error.code] : undefined
  if (mapped) {
    const status =
      mapped === 'invalid_json' || mapped === 'validation_failed' ? 400 : error.statusCode
    return { status: status ?? 400, body: errorBody(mapped, error.message) }
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, body: errorBody('validation_failed', error.message) }
  }
  if (isDatabaseUnavailable(error)) {
    // The database's own words go to the log; the caller learns only to come back later.
    request.log.error({ err: error }, `database unavailable: ${error.message}`)
    return {
      status: 503,
      body: errorBody('unavailable', 'the database is unavailable; try again shortly'),
      headers: { 'retry-after': '5' },
    }
  }
  request.log.error({ err: error }, 'unhandled error')
  return { status: 500, body: errorBody('internal_error', 'internal error') }
}

// The field an issue is about: a missing or unknown property is named, not its parent object.
function issueField(context: string | undefined, path: string, params: Record<string, unknown>) {
  const named = params.missingProperty ?? params.additionalProperty
  const child = typeof named === 'string' ? `/${named}` : ''
  const pointer = `${path}${child}`.replace(/^\//, '').replaceAll('/', '.')
  return pointer === '' ? (context ?? 'request') : pointer
}

function issueMessage(context: string | undefined, keyword: string, message: string | undefined) {
  if (keyword === 'required') return 'is required'
  if (keyword === 'additionalProperties') {
    return context === 'querystring' ? 'is not a known parameter' : 'is not a known field'
  }
  return message ?? 'is invalid'
}

/**
 * Our validators, and every error or unknown route answered in the `{"error":…}` shape; an
 * unknown route is offered to `pageFallback` first (the console's pages).
 */
export function useJsonErrors(app: App, pageFallback?: PageFallback): void {
  app.setValidatorCompiler(compileValidator)
  app.setErrorHandler(handleError)
  app.setNotFoundHandler(
    (request, reply) =>
      pageFallback?.(request, reply) ??
      reply
        .status(404)
        .send(
          errorBody('not_found', `no route for ${request.method} ${request.url.split('?')[0]}`),
        ),
  )
}
