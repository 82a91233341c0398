import type { FastifyInstance } from 'fastify'
import { AppError } from '../http/errors.ts'
import { showNul } from '../http/refuse-nul.ts'
import { addJsonParams, addTextParams, type RawParams } from './postback-params.ts'

/** A postback body as sent (the signature covers these exact bytes) and how to read it. */
export interface PostbackBody {
  raw: string
  kind: 'json' | 'form'
}

/**
 * The postback route reads JSON and form bodies itself, as text: a signature is checked over the
 * raw body, and an empty JSON body (a POST whose parameters are all in the query) is no error.
 * Any other content type is refused by Fastify (a 400 on this route, see postback-errors.ts).
 */
export function addPostbackBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, raw, done) => {
    done(null, { raw: String(raw), kind: 'json' } satisfies PostbackBody)
  })
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, raw, done) => {
      done(null, { raw: String(raw), kind: 'form' } satisfies PostbackBody)
    },
  )
}

/** Adds the body's parameters to `into`; 400 `invalid_json` for JSON that is not an object. */
export function addBodyParams(into: RawParams, body: PostbackBody | undefined): void {
  if (body === undefined || body.raw.trim() === '') return
  if (body.kind === 'form') {
    for (const [name, value] of new URLSearchParams(body.raw))
      addTextParams(into, { [name]: value })
    return
  }
  let value: unknown
  try {
    value = JSON.parse(body.raw)
  } catch (error) {
    const reason = showNul((error as Error).message)
    throw new AppError('invalid_json', `body is not valid JSON: ${reason}`)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('invalid_json', 'a JSON body must be an object of parameters')
  }
  addJsonParams(into, value as Record<string, unknown>)
}
