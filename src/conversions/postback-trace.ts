import type { FastifyReply, FastifyRequest } from 'fastify'
import type { PostbackFindings } from './accept-postback.ts'
import type { PostbackLogDraft } from './postback-log.ts'
import { maskedParams } from './postback-log-params.ts'
import { addTextParams, type RawParams } from './postback-params.ts'
import type { PostbackCommit } from './write-postbacks.ts'

/** What the postback route learns about a call as it goes, for its log line. */
export interface PostbackTrace extends PostbackFindings {
  at: number
  raw: RawParams
  /** Set once the call's log line is written (a 200 writes it in its own transaction). */
  logged: boolean
}

const traces = new WeakMap<FastifyRequest, PostbackTrace>()

/** The trace of a call, started from its query string on first use. */
export function traceOf(request: FastifyRequest): PostbackTrace {
  let trace = traces.get(request)
  if (!trace) {
    const raw: RawParams = new Map()
    addTextParams(raw, request.query)
    trace = {
      at: Date.now(),
      raw,
      auth: null,
      clickId: null,
      offerId: null,
      advertiserId: null,
      logged: false,
    }
    traces.set(request, trace)
  }
  return trace
}

export function logDraft(request: FastifyRequest, trace: PostbackTrace): PostbackLogDraft {
  return {
    created_at: trace.at,
    method: request.method,
    ip: request.ip,
    params: maskedParams(trace.raw),
    auth: trace.auth,
    click_id: trace.clickId,
    offer_id: trace.offerId,
    advertiser_id: trace.advertiserId,
  }
}

/**
 * An onSend hook that logs every refused call (4xx, and any 5xx) before its answer goes out, so
 * the log line is there by the time the advertiser reads the response. It runs for Fastify's own
 * refusals too (body too large, bad content type), which never reach the handler.
 */
export function logRefusedPostbacks(commit: PostbackCommit) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const trace = traceOf(request)
    if (trace.logged) return payload
    trace.logged = true
    const error = errorOf(payload)
    try {
      const entry = {
        ...logDraft(request, trace),
        http_status: reply.statusCode,
        result: 'error' as const,
        reason: error.code,
        message: error.message,
        conversion_id: null,
      }
      await commit({ kind: 'refusal', entry })
    } catch (cause) {
      request.log.error({ err: cause }, 'could not write the postback log line')
    }
    return payload
  }
}

function errorOf(payload: unknown): { code: string | null; message: string | null } {
  if (typeof payload !== 'string') return { code: null, message: null }
  try {
    const body = JSON.parse(payload) as { error?: { code?: unknown; message?: unknown } }
    const { code, message } = body.error ?? {}
    return {
      code: typeof code === 'string' ? code : null,
      message: typeof message === 'string' ? message.slice(0, 500) : null,
    }
  } catch {
    return { code: null, message: null }
  }
}
