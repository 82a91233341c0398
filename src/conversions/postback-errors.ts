import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { handleError } from '../http/error-handler.ts'
import { AppError } from '../http/errors.ts'

/**
 * The postback route's error handler: the contract answers malformed postbacks with a 400, so the
 * body refusals Fastify makes before our code (413 too large, 415 wrong type, as on the admin API)
 * become 400s with their own codes here. Everything else goes to the one error handler.
 */
export function handlePostbackError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  return handleError(asPostbackError(error, request.routeOptions.bodyLimit), request, reply)
}

function asPostbackError(error: FastifyError, bodyLimit: number): FastifyError | AppError {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new AppError('body_too_large', `a postback body may hold at most ${bodyLimit / 1024} kB`)
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new AppError(
      'unsupported_content_type',
      'a postback body must be application/json or application/x-www-form-urlencoded',
    )
  }
  return error
}
