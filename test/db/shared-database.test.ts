import { afterEach, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { type RunningServer, startServer } from '../../src/main.ts'
import { createTestDatabase, describePostgres, type TestDatabase } from '../helpers/engines.ts'

describePostgres('several processes on one database', () => {
  let database: TestDatabase
  const servers: RunningServer[] = []
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close()
    await database.drop()
  })

  it('migrate once and generate one admin key when they start together', async () => {
    database = await createTestDatabase('postgres')
    const config = {
      ...loadConfig({ BACKTRACK_LOG_LEVEL: 'silent' }),
      host: '127.0.0.1',
      port: 0,
      database: database.config,
    }
    const printed: string[] = []
    const print = (line: string) => printed.push(line)
    servers.push(
      ...(await Promise.all([
        startServer(config, { logger: false, print }),
        startServer(config, { logger: false, print }),
        startServer(config, { logger: false, print }),
      ])),
    )
    const keys = printed.filter((line) => line.startsWith('admin key'))
    expect(keys).toHaveLength(1)
    const key = keys[0]!.split(': ')[1]!
    // An advertiser created through one process is read through another.
    const created = await fetch(`${servers[0]!.url}/api/v1/advertisers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Acme' }),
    })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: string }
    const read = await fetch(`${servers[2]!.url}/api/v1/advertisers/${id}`, {
      headers: { authorization: `Bearer ${key}` },
    })
    expect(read.status).toBe(200)
  })
})
