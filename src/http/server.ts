import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { FastifyServerOptions } from 'fastify'

type Listener = (request: IncomingMessage, response: ServerResponse) => void

/** Answers a request itself and returns true, or returns false to hand it to Fastify. */
export type FastPath = (request: IncomingMessage, response: ServerResponse) => boolean

/**
 * Fastify's HTTP/1.1 server, made as Fastify makes it (the same timeouts), where `fastPath()`
 * sees each request first. For Fastify's `serverFactory` option.
 */
export function serverWithFastPath(
  fastify: Listener,
  options: FastifyServerOptions,
  fastPath: FastPath,
): Server {
  const server = createServer((request, response) => {
    if (!fastPath(request, response)) fastify(request, response)
  })
  if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout
  if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout
  if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout)
  return server
}
