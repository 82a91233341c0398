import { afterEach, beforeEach, expect, it } from 'vitest'
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/engines.ts'
import { type Child, databaseEnv, runBacktrack } from '../helpers/processes.ts'
import { httpRequest, TEST_ADMIN_KEY } from '../helpers/test-server.ts'

const GENERATED_KEY_LINE = /^admin key \(shown once[^:]*: (\S+)$/m
const ROTATED_KEY_LINE = /^(bt_admin_\S+)$/m

describeEachEngine('npx backtrack admin-key rotate', (engine) => {
  let database: TestDatabase
  const children: Child[] = []
  beforeEach(async () => {
    database = await createTestDatabase(engine)
  })
  afterEach(async () => {
    for (const child of children.splice(0)) await child.stop('SIGKILL')
    await database.drop()
  })

  function serve(env: Record<string, string> = {}): Child {
    const child = runBacktrack(['serve'], {
      PORT: '0',
      HOST: '127.0.0.1',
      BACKTRACK_LOG_LEVEL: 'warn',
      ...databaseEnv(database.config),
      ...env,
    })
    children.push(child)
    return child
  }

  async function rotate(env: Record<string, string> = {}) {
    const child = runBacktrack(['admin-key', 'rotate'], { ...databaseEnv(database.config), ...env })
    expect(await child.exited, child.output()).toBe(0)
    const key = child.stderr().match(ROTATED_KEY_LINE)?.[1]
    expect(key, child.stderr()).toBeDefined()
    expect(child.stdout()).toBe('')
    return { key: key!, stderr: child.stderr() }
  }

  const status = async (url: string, key: string) =>
    (await httpRequest(url, 'GET', '/api/v1/affiliates', { key })).status

  it('replaces the generated admin key: a running server refuses the old one at once', async () => {
    const first = serve()
    const [, generated] = await first.waitFor(GENERATED_KEY_LINE, 45_000)
    const url = (await first.waitFor(/listening on (http:\/\/\S+)/))[1]!
    expect(await status(url, generated!)).toBe(200)

    const { key, stderr } = await rotate()
    expect(key).not.toBe(generated)
    expect(stderr.split('\n')).toContain(key)
    expect(await status(url, generated!)).toBe(401)
    expect(await status(url, key)).toBe(200)

    // A server started afterwards agrees, and makes no key of its own.
    const second = serve()
    const secondUrl = (await second.waitFor(/listening on (http:\/\/\S+)/, 45_000))[1]!
    expect(await status(secondUrl, generated!)).toBe(401)
    expect(await status(secondUrl, key)).toBe(200)
    await second.stop()
    expect(second.stderr()).not.toMatch(GENERATED_KEY_LINE)

    // Rotating again retires the key the first rotation made.
    const again = await rotate()
    expect(await status(url, key)).toBe(401)
    expect(await status(url, again.key)).toBe(200)
  })

  it('refuses while BACKTRACK_ADMIN_KEY is set: that variable is the admin key', async () => {
    const child = runBacktrack(['admin-key', 'rotate'], {
      ...databaseEnv(database.config),
      BACKTRACK_ADMIN_KEY: TEST_ADMIN_KEY,
    })
    expect(await child.exited).toBe(1)
    expect(child.stderr()).toBe(
      'backtrack: BACKTRACK_ADMIN_KEY is set, so it is the admin key: rotate it by changing that variable\n',
    )
  })

  it('makes the first admin key of a new database', async () => {
    const { key } = await rotate()
    const server = serve()
    const url = (await server.waitFor(/listening on (http:\/\/\S+)/, 45_000))[1]!
    expect(await status(url, key)).toBe(200)
    await server.stop()
    expect(server.stderr()).not.toMatch(GENERATED_KEY_LINE)
  })
})

it('answers `admin-key` without `rotate` with its usage', async () => {
  const child = runBacktrack(['admin-key'], {})
  expect(await child.exited).toBe(1)
  expect(child.stderr()).toBe(
    'backtrack: usage: backtrack admin-key rotate; see backtrack --help\n',
  )
  const help = runBacktrack(['--help'], {})
  await help.exited
  expect(help.stdout()).toContain('npx backtrack admin-key rotate')
})
