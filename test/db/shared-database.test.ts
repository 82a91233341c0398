import { afterEach, expect, it } from 'vitest'
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/engines.ts'
import { databaseEnv, type ServeProcess, serveProcess } from '../helpers/processes.ts'
import { httpRequest } from '../helpers/test-server.ts'

// Real `backtrack serve` processes started at the same moment on one new database. Migrations
// take a lock on both engines (PostgreSQL's advisory lock, SQLite's write lock).
describeEachEngine('several processes on one database', (engine) => {
  let database: TestDatabase | undefined
  const servers: ServeProcess[] = []
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.child.stop()
    await database?.drop()
  })

  it('migrate once and generate one admin key when they start together', async () => {
    database = await createTestDatabase(engine)
    // No admin key configured: the first process to start generates and prints one.
    const env = { ...databaseEnv(database.config), BACKTRACK_ADMIN_KEY: '' }
    const started = await Promise.allSettled([1, 2, 3].map(() => serveProcess(env)))
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value)
    expect(started.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled'])
    const keys = servers.flatMap((server) =>
      server.child
        .output()
        .split('\n')
        .filter((line) => line.startsWith('admin key')),
    )
    expect(keys).toHaveLength(1)
    const key = keys[0]!.split(': ')[1]!
    // An advertiser created through one process is read through another.
    const created = await httpRequest(servers[0]!.url, 'POST', '/api/v1/advertisers', {
      key,
      body: { name: 'Acme' },
    })
    expect(created.status).toBe(201)
    const read = await httpRequest(
      servers[2]!.url,
      'GET',
      `/api/v1/advertisers/${created.body.id}`,
      {
        key,
      },
    )
    expect(read.status).toBe(200)
  }, 60_000)
})
