import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../src/config.ts'
import { type RunningServer, startServer } from '../../src/main.ts'

/**
 * The server's OpenAPI document, as `GET /api/openapi.json` answers it. The real server is started
 * on a throwaway SQLite file and a loopback port: the document is built from the route schemas
 * only when the app is, so there is no cheaper way that stays the one contract.
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'backtrack-openapi-'))
  let server: RunningServer | undefined
  try {
    const config = {
      ...loadConfig({
        BACKTRACK_ADMIN_KEY: 'openapi-document-only-key',
        BACKTRACK_LOG_LEVEL: 'silent',
      }),
      host: '127.0.0.1',
      port: 0,
      database: { engine: 'sqlite' as const, path: join(dir, 'openapi.db') },
    }
    server = await startServer(config, { logger: false, print: () => {} })
    return server.app.swagger() as unknown as Record<string, unknown>
  } finally {
    await server?.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
