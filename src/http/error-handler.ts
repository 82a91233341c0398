import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { isDatabaseUnavailable } from '../db/database-unavailable.ts'
import type { App } from './app.ts'
import { AppError, type ErrorCode, errorBody } from './errors.ts'
import { compileValidator } from './validation.ts'

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
  if (error instanceof AppError) {
    return reply.status(error.status).send(errorBody(error.code, error.message, error.details))
  }
  if (error.validation) {
    const details = error.validation.map((issue) => ({
      field: issueField(error.validationContext, issue.instancePath, issue.params),
      message: issue.keyword === 'required' ? 'is required' : (issue.message ?? 'is invalid'),
    }))
    const first = details[0]
    const message = first ? `${first.field} ${first.message}` : 'request is invalid'
    return reply.status(400).send(errorBody('validation_failed', message, details))
  }
  const mapped = error.code ? FASTIFY_CODES[error.code] : undefined
  if (mapped) {
    const status =
      mapped === 'invalid_json' || mapped === 'validation_failed' ? 400 : error.statusCode
    return reply.status(status ?? 400).send(errorBody(mapped, error.message))
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return reply.status(error.statusCode).send(errorBody('validation_failed', error.message))
  }
  if (isDatabaseUnavailable(error)) {
    // The database's own words go to the log; the caller learns only to come back later.
    request.log.error({ err: error }, `database unavailable: ${error.message}`)
    return reply
      .status(503)
      .header('retry-after', '5')
      .send(errorBody('unavailable', 'the database is unavailable; try again shortly'))
  }
  request.log.error({ err: error }, 'unhandled error')
  return reply.status(500).send(errorBody('internal_error', 'internal error'))
}

function issueField(context: string | undefined, path: string, params: Record<string, unknown>) {
  const missing = typeof params.missingProperty === 'string' ? `/${params.missingProperty}` : ''
  const pointer = `${path}${missing}`.replace(/^\//, '').replaceAll('/', '.')
  return pointer === '' ? (context ?? 'request') : pointer
}

/** Our validators, and every error or unknown route answered in the `{"error":…}` shape. */
export function useJsonErrors(app: App): void {
  app.setValidatorCompiler(compileValidator)
  app.setErrorHandler(handleError)
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(errorBody('not_found', `no route for ${request.method} ${request.url.split('?')[0]}`)),
  )
}
