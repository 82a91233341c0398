import { Ajv, type Options } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'
import { closeObjects } from './close-objects.ts'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

function makeAjv(options: Options): Ajv {
  return addFormats(new Ajv({ allErrors: true, useDefaults: true, strict: false, ...options }))
}

// Query strings and paths arrive as text, so they are coerced ("50" → 50). Bodies are not: a
// client that sends "12" where a number belongs gets a 400, not a silent guess.
const coercing = makeAjv({ coerceTypes: 'array' })
const exact = makeAjv({ coerceTypes: false })

/**
 * Fastify's validator compiler, with strict typing for bodies and coercion elsewhere. Bodies and
 * query strings refuse what their schema does not name (see closeObjects).
 */
export const compileValidator: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? exact : coercing
  const rules = httpPart === 'body' || httpPart === 'querystring' ? closeObjects(schema) : schema
  return ajv.compile(rules) as ReturnType<FastifySchemaCompiler<object>>
}
