import { Agent, request } from 'undici'
import { webhookSignature } from './sign-webhook.ts'
import { guardedLookup, isForbiddenAddress, PrivateTargetError } from './ssrf-guard.ts'

export const ATTEMPT_TIMEOUT_MS = 10_000
const KEPT_RESPONSE_BYTES = 1024
// Past this much response body the connection is dropped rather than read to the end.
const DRAINED_RESPONSE_BYTES = 64 * 1024

export interface OutboundRequest {
  method: 'GET' | 'POST'
  url: string
  body: string | null
  content_type: string | null
  event_id: string
  /** Signing secrets, newest first; empty for an unsigned endpoint. */
  secrets: readonly string[]
}

export type AttemptOutcome =
  | 'delivered'
  | 'http_error'
  | 'gone'
  | 'timeout'
  | 'connection_error'
  | 'dns_error'
  | 'refused'

export interface AttemptResult {
  at: number
  duration_ms: number
  status_code: number | null
  error: string | null
  /** The first 1 kB of the response body. */
  response_body: string | null
  outcome: AttemptOutcome
  /** From `Retry-After` on a 429 or 503, unclamped. */
  retry_after_ms: number | null
  request_headers: Record<string, string>
  response_headers: Record<string, string>
}

export interface SenderOptions {
  allowPrivateTargets: boolean
  timeoutMs?: number
}

/** One keep-alive connection pool for every outbound postback of a process. */
export class AttemptSender {
  readonly #agent: Agent
  readonly #allowPrivate: boolean
  readonly #timeoutMs: number

  constructor(options: SenderOptions) {
    this.#allowPrivate = options.allowPrivateTargets
    this.#timeoutMs = options.timeoutMs ?? ATTEMPT_TIMEOUT_MS
    this.#agent = new Agent({
      keepAliveTimeout: 30_000,
      headersTimeout: this.#timeoutMs,
      bodyTimeout: this.#timeoutMs,
      connect: {
        timeout: this.#timeoutMs,
        ...(this.#allowPrivate ? {} : { lookup: guardedLookup }),
      },
    })
  }

  /** Sends one attempt; never throws — every failure comes back as a recorded result. */
  async send(outbound: OutboundRequest): Promise<AttemptResult> {
    const at = Date.now()
    const started = performance.now()
    const headers = requestHeaders(outbound, Math.floor(at / 1000))
    const finish = (partial: Partial<AttemptResult> & Pick<AttemptResult, 'outcome'>) => ({
      at,
      duration_ms: Math.round(performance.now() - started),
      status_code: null,
      error: null,
      response_body: null,
      retry_after_ms: null,
      request_headers: headers,
      response_headers: {},
      ...partial,
    })
    const refusal = this.#refuseLiteral(outbound.url)
    if (refusal) return finish({ outcome: 'refused', error: refusal })
    try {
      const response = await request(outbound.url, {
        dispatcher: this.#agent,
        method: outbound.method,
        headers,
        body: outbound.body ?? undefined,
        signal: AbortSignal.timeout(this.#timeoutMs),
      })
      const body = await readPrefix(response.body)
      const status = response.statusCode
      const responseHeaders = flatHeaders(response.headers)
      return finish({
        status_code: status,
        response_body: body,
        response_headers: responseHeaders,
        outcome:
          status >= 200 && status < 300 ? 'delivered' : status === 410 ? 'gone' : 'http_error',
        error: status >= 200 && status < 300 ? null : `HTTP ${status}`,
        retry_after_ms:
          status === 429 || status === 503 ? parseRetryAfter(responseHeaders['retry-after']) : null,
      })
    } catch (error) {
      return finish(describeFailure(error, this.#timeoutMs))
    }
  }

  close(): Promise<void> {
    return this.#agent.close()
  }

  // An IP literal never goes through DNS, so it is checked here rather than in the lookup.
  #refuseLiteral(url: string): string | undefined {
    if (this.#allowPrivate) return undefined
    let host: string
    try {
      host = new URL(url).hostname
    } catch {
      return `invalid URL ${url}`
    }
    if (isForbiddenAddress(host)) return `${host} is a private or reserved address`
    return undefined
  }
}

function requestHeaders(outbound: OutboundRequest, timestamp: number): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': 'Backtrack-Postback/1',
    'webhook-id': outbound.event_id,
  }
  if (outbound.content_type !== null && outbound.method === 'POST') {
    headers['content-type'] = outbound.content_type
  }
  if (outbound.secrets.length > 0) {
    headers['webhook-timestamp'] = String(timestamp)
    headers['webhook-signature'] = webhookSignature(
      outbound.secrets,
      outbound.event_id,
      timestamp,
      outbound.method === 'GET' ? '' : (outbound.body ?? ''),
    )
  }
  return headers
}

async function readPrefix(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const kept: Buffer[] = []
  let keptBytes = 0
  let seen = 0
  for await (const chunk of body) {
    seen += chunk.length
    if (keptBytes < KEPT_RESPONSE_BYTES) {
      kept.push(chunk.subarray(0, KEPT_RESPONSE_BYTES - keptBytes))
      keptBytes += Math.min(chunk.length, KEPT_RESPONSE_BYTES - keptBytes)
    }
    if (seen > DRAINED_RESPONSE_BYTES) {
      body.destroy()
      break
    }
  }
  // PostgreSQL text cannot hold a NUL byte, and one in a stored reply would fail the batch it is
  // recorded with (sending it all again); such bytes are kept as U+FFFD, like invalid UTF-8.
  return Buffer.concat(kept).toString('utf8').replaceAll('\u0000', '\uFFFD')
}

function flatHeaders(headers: Record<string, string | string[] | undefined>) {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now; null when absent or bad. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined) return null
  const text = value.trim()
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

function describeFailure(error: unknown, timeoutMs: number) {
  const chain: Array<{ name?: string; code?: string; message?: string }> = []
  let current = error as { cause?: unknown } | undefined
  while (current && chain.length < 5) {
    chain.push(current as { name?: string; code?: string; message?: string })
    current = current.cause as { cause?: unknown } | undefined
  }
  const has = (test: (e: { name?: string; code?: string }) => boolean) => chain.some(test)
  if (has((e) => e instanceof PrivateTargetError)) {
    const refusal = chain.find((e) => e instanceof PrivateTargetError)!
    return { outcome: 'refused' as const, error: refusal.message ?? 'private target refused' }
  }
  if (
    has(
      (e) =>
        e.name === 'TimeoutError' ||
        e.code === 'UND_ERR_HEADERS_TIMEOUT' ||
        e.code === 'UND_ERR_BODY_TIMEOUT' ||
        e.code === 'UND_ERR_CONNECT_TIMEOUT' ||
        e.code === 'ETIMEDOUT',
    )
  ) {
    return { outcome: 'timeout' as const, error: `timed out after ${timeoutMs} ms` }
  }
  const dns = chain.find((e) => e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
  if (dns) return { outcome: 'dns_error' as const, error: `DNS lookup failed: ${dns.message}` }
  const first = chain[0]
  const code = chain.find((e) => e.code)?.code
  const message = first?.message ?? String(error)
  return {
    outcome: 'connection_error' as const,
    error: code && !message.includes(code) ? `${code}: ${message}` : message,
  }
}
