import type { FastifyInstance } from 'fastify'

/**
 * Parses JSON bodies as Fastify does (prototype poisoning refused), except that an empty body is
 * no body: clients and shell helpers often send `content-type: application/json` on every call,
 * including bodiless ones such as `POST /postbacks/{id}/test` or `DELETE /postbacks/{id}`, and
 * refusing those with `invalid_json` helps nobody. A body with anything in it, even spaces, is
 * parsed, and malformed JSON is still a 400 `invalid_json`.
 */
export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined)
    parseJson(request, body as string, done)
  })
}
