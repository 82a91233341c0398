import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger'
import type { FastifySchema } from 'fastify'
import { closeObjects } from './close-objects.ts'

declare module 'fastify' {
  interface FastifySchema {
    /**
     * Parts of a request the route reads itself rather than through a validated schema, shown
     * in the OpenAPI document only; the request body they describe is optional.
     */
    documentedOnly?: {
      querystring?: unknown
      body?: unknown
      headers?: unknown
      consumes?: readonly string[]
    }
  }
}

// OpenAPI path items, by method, as @fastify/swagger builds them.
interface Operation {
  operationId?: string
  requestBody?: { required?: boolean }
  [OPTIONAL_BODY]?: boolean
}
type Paths = Record<string, Record<string, Operation>>

// Marks, between the two transforms, an operation whose body is documentedOnly.
const OPTIONAL_BODY = 'x-optional-body'

/**
 * The OpenAPI document's frame: what the API is, where it is served (`BACKTRACK_PUBLIC_URL`),
 * its license and its tags. The operations come from the route schemas.
 */
export function openApiOptions(publicUrl: string): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Backtrack API',
        version: '1',
        description:
          'Server-to-server postback tracking: tracking links, inbound postbacks from advertisers, ' +
          'signed and retried postbacks to affiliates, reports. The reference in words (macros, ' +
          'aliases, units, rules, error codes) is docs/api.md in the Backtrack repository.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [{ url: publicUrl, description: 'this server (BACKTRACK_PUBLIC_URL)' }],
      tags: [
        { name: 'advertisers', description: 'Who pays: each has a postback token.' },
        { name: 'offers', description: 'What is promoted: destination, money, goals.' },
        { name: 'affiliates', description: 'Who sends traffic: each has an API key.' },
        {
          name: 'offer access',
          description: "Who may run an offer, and an affiliate's own payout on it.",
        },
        { name: 'postbacks', description: "Affiliates' endpoints that hear of conversions." },
        { name: 'deliveries', description: 'Each postback sent to an endpoint, its attempts.' },
        { name: 'clicks', description: 'The tracking link and the clicks it records.' },
        { name: 'postbacks (inbound)', description: 'Advertisers reporting conversions.' },
        { name: 'conversions', description: 'Attributed conversions and their statuses.' },
        { name: 'reports', description: 'Aggregates and the live feed.' },
        { name: 'operations', description: 'Health of the running server.' },
      ],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description:
              'An API key: the bootstrap admin key (BACKTRACK_ADMIN_KEY or printed on first start), a key made with POST /api/v1/api-keys, or an affiliate key',
          },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'backtrack_session',
            description:
              'The session cookie set by POST /api/v1/auth/login; writes also need the X-CSRF-Token header',
          },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: ({ schema, url }) => ({ schema: withDocumentedOnly(closedRequest(schema)), url }),
    transformObject: (document) => {
      if (!('openapiObject' in document)) return document.swaggerObject
      const paths = document.openapiObject.paths as Paths | undefined
      optionalDocumentedBodies(paths)
      distinctOperationIds(paths)
      return document.openapiObject
    },
  }
}

/**
 * A route serving several methods (`GET|POST /postback`) shares one schema, so its operations
 * share one operationId; client generators need them distinct, so each gets its method appended
 * (`receivePostback` → `receivePostbackGet`, `receivePostbackPost`).
 */
function distinctOperationIds(paths: Paths | undefined): void {
  for (const item of Object.values(paths ?? {})) {
    const ids = Object.values(item).map((operation) => operation.operationId)
    for (const [method, operation] of Object.entries(item)) {
      const id = operation.operationId
      if (id === undefined || ids.indexOf(id) === ids.lastIndexOf(id)) continue
      item[method] = {
        ...operation,
        operationId: `${id}${method[0]!.toUpperCase()}${method.slice(1)}`,
      }
    }
  }
}

// The document shows the rule the validators apply (validation.ts): unknown fields are refused.
function closedRequest(schema: FastifySchema): FastifySchema {
  if (!schema) return schema
  const { body, querystring } = schema
  return {
    ...schema,
    ...(body === undefined ? {} : { body: closeObjects(body) }),
    ...(querystring === undefined ? {} : { querystring: closeObjects(querystring) }),
  }
}

function withDocumentedOnly(schema: FastifySchema): FastifySchema {
  if (!schema?.documentedOnly) return schema
  const { documentedOnly, ...rest } = schema
  return {
    ...rest,
    ...documentedOnly,
    ...(documentedOnly.body === undefined ? {} : { [OPTIONAL_BODY]: true }),
  }
}

/** A documentedOnly body may be left out, and a GET has none. */
function optionalDocumentedBodies(paths: Paths | undefined): void {
  for (const item of Object.values(paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (!operation[OPTIONAL_BODY]) continue
      const { [OPTIONAL_BODY]: _mark, requestBody, ...rest } = operation
      item[method] =
        method === 'get' || requestBody === undefined
          ? rest
          : { ...rest, requestBody: { ...requestBody, required: false } }
    }
  }
}
