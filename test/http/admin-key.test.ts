import { afterEach, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { type RunningServer, startServer } from '../../src/main.ts'
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/engines.ts'
import { TEST_ADMIN_KEY } from '../helpers/test-server.ts'

describeEachEngine('the admin key', (engine) => {
  let database: TestDatabase | undefined
  let server: RunningServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
    await database?.drop()
    database = undefined
  })

  /** Starts a server on the test database; returns the key it printed, if any. */
  async function start(env: Record<string, string>): Promise<string | undefined> {
    await server?.close()
    database ??= await createTestDatabase(engine)
    const lines: string[] = []
    const config = {
      ...loadConfig({ BACKTRACK_LOG_LEVEL: 'silent', ...env }),
      host: '127.0.0.1',
      port: 0,
      database: database.config,
    }
    server = await startServer(config, { logger: false, print: (line) => lines.push(line) })
    return lines.join('\n').match(/admin key .*: (\S+)/)?.[1]
  }

  async function status(key: string): Promise<number> {
    const response = await fetch(`${server!.url}/api/v1/affiliates`, {
      headers: { authorization: `Bearer ${key}` },
    })
    return response.status
  }

  it('a configured BACKTRACK_ADMIN_KEY replaces a generated one instead of adding to it', async () => {
    const generated = await start({})
    expect(generated).toMatch(/^bt_admin_/)
    expect(await status(generated!)).toBe(200)

    expect(await start({ BACKTRACK_ADMIN_KEY: TEST_ADMIN_KEY })).toBeUndefined()
    expect(await status(TEST_ADMIN_KEY)).toBe(200)
    expect(await status(generated!)).toBe(401)

    // Unset again, the server makes and prints a new key rather than locking everyone out.
    const fresh = await start({})
    expect(fresh).toMatch(/^bt_admin_/)
    expect(await status(fresh!)).toBe(200)
    expect(await status(generated!)).toBe(401)
    expect(await status(TEST_ADMIN_KEY)).toBe(401)
  })
})
