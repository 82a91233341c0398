import { type Config, loadConfig } from '../../src/config.ts'
import type { Engine } from '../../src/db/schema.ts'
import { type RunningServer, startServer } from '../../src/main.ts'
import { createTestDatabase } from './engines.ts'

export const TEST_ADMIN_KEY = 'test-admin-key-7Qm2xR9vK4pL8wZ3'

export interface HttpResult {
  status: number
  headers: Headers
  /** Parsed JSON when the response is JSON, else the text. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON and assert on it
  body: any
}

export interface TestServer {
  url: string
  server: RunningServer
  config: Config
  /** Calls the API over real HTTP; `key` defaults to the admin key, `null` sends none. */
  request(
    method: string,
    path: string,
    options?: { body?: unknown; key?: string | null; headers?: Record<string, string> },
  ): Promise<HttpResult>
  close(): Promise<void>
}

/** Starts Backtrack on a loopback port with a database of its own; `close` drops that database. */
export async function startTestServer(
  engine: Engine,
  env: Record<string, string> = {},
): Promise<TestServer> {
  const database = await createTestDatabase(engine)
  const config: Config = {
    ...loadConfig({ BACKTRACK_ADMIN_KEY: TEST_ADMIN_KEY, BACKTRACK_LOG_LEVEL: 'silent', ...env }),
    host: '127.0.0.1',
    // A test that needs its URL before start (BACKTRACK_PUBLIC_URL) picks the port itself.
    port: env.PORT ? Number(env.PORT) : 0,
    database: database.config,
  }
  const server = await startServer(config, { logger: false, print: () => {} })
  return {
    url: server.url,
    server,
    config,
    request: (method, path, options = {}) => httpRequest(server.url, method, path, options),
    close: async () => {
      await server.close()
      await database.drop()
    },
  }
}

/** One API call over real HTTP to the server at `base`; `key` defaults to the admin key. */
export async function httpRequest(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; key?: string | null; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers }
  const key = options.key === undefined ? TEST_ADMIN_KEY : options.key
  if (key !== null) headers.authorization = `Bearer ${key}`
  let body: string | undefined
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
    headers['content-type'] ??= 'application/json'
  }
  const response = await fetch(base + path, { method, headers, body, redirect: 'manual' })
  const text = await response.text()
  const isJson = response.headers.get('content-type')?.includes('json') ?? false
  return {
    status: response.status,
    headers: response.headers,
    body: isJson ? JSON.parse(text) : text,
  }
}
