import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { errorReply } from '../http/error-handler.ts'
import { AppError } from '../http/errors.ts'
import { findingsOf, type PostbackFindings } from './accept-postback.ts'
import { postbackLogDraft } from './postback-log-draft.ts'
import type { RefusalLogSampler } from './sampled-refusals.ts'
import type { PostbackCommit } from './write-postbacks.ts'

const MAX_MESSAGE_CHARS = 500

/** Answers a refused call, after writing its log line (see `refusePostback`). */
export type PostbackRefuser = (
  request: FastifyRequest,
  reply: FastifyReply,
  refusal: unknown,
  at: number,
  found: PostbackFindings,
) => Promise<FastifyReply>

/**
 * Answers a refused postback as the one error handler would, and logs it first, so the log line
 * is there by the time the advertiser reads the response. The contract answers malformed
 * postbacks with a 400, so the body refusals Fastify makes before our code (413 too large, 415
 * wrong type, as on the admin API) become 400s with their own codes here.
 */
export function postbackRefuser(
  commit: PostbackCommit,
  sample: RefusalLogSampler,
): PostbackRefuser {
  return async (request, reply, refusal, at, found) => {
    const error = asPostbackError(refusal, request.routeOptions.bodyLimit)
    const { status, body, headers } = errorReply(error, request)
    if (headers) void reply.headers(headers)
    if (!sample(request)) return reply.status(status).send(body)
    try {
      const entry = {
        ...postbackLogDraft(at, request, found),
        http_status: status,
        result: 'error' as const,
        reason: body.error.code,
        message: body.error.message.slice(0, MAX_MESSAGE_CHARS),
        conversion_id: null,
      }
      await commit({ kind: 'refusal', entry })
    } catch (cause) {
      request.log.error({ err: cause }, 'could not write the postback log line')
    }
    return reply.status(status).send(body)
  }
}

/**
 * The postback route's error handler, for what Fastify refuses before the handler runs (body
 * too large, wrong content type): logged with what the query string tells.
 */
export function handlePostbackError(refuse: PostbackRefuser) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
    refuse(request, reply, error, Date.now(), findingsOf(request.query))
}

function asPostbackError(refusal: unknown, bodyLimit: number): FastifyError | AppError {
  if (!(refusal instanceof Error)) return new Error(String(refusal)) as FastifyError
  const error = refusal as FastifyError
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
