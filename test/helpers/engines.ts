import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { describe } from 'vitest'
import type { DatabaseConfig } from '../../src/config.ts'
import type { Engine } from '../../src/db/schema.ts'

export const ENGINES: Engine[] = ['sqlite', 'postgres']

/** The PostgreSQL server tests make their schemas in. */
export const TEST_PG_URL =
  process.env.BACKTRACK_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

const IN_CI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false'

async function isPostgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 2000 })
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

const pgReachable = await isPostgresReachable()
if (!pgReachable && !IN_CI) {
  console.warn(
    `PostgreSQL is not reachable at ${TEST_PG_URL}: its tests are skipped (never in CI).`,
  )
}

/**
 * Declares the same suite once per engine. PostgreSQL suites skip only outside CI when no server
 * answers; in CI an unreachable server fails the run instead.
 */
export function describeEachEngine(name: string, suite: (engine: Engine) => void): void {
  for (const engine of ENGINES) {
    const skip = engine === 'postgres' && !pgReachable && !IN_CI
    describe.skipIf(skip)(`${name} [${engine}]`, () => suite(engine))
  }
}

/** A suite about PostgreSQL alone (several processes sharing one database). */
export function describePostgres(name: string, suite: () => void): void {
  describe.skipIf(!pgReachable && !IN_CI)(`${name} [postgres]`, suite)
}

export interface TestDatabase {
  config: DatabaseConfig
  drop(): Promise<void>
}

/** A database of its own for one test: a temporary SQLite file, or a fresh PostgreSQL schema. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'backtrack-test-'))
    return {
      config: { engine: 'sqlite', path: join(dir, 'test.db') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    }
  }
  const schema = `bt_test_${randomBytes(6).toString('hex')}`
  await adminQuery(`create schema ${schema}`)
  return {
    config: { engine: 'postgres', url: TEST_PG_URL, schema },
    drop: () => adminQuery(`drop schema if exists ${schema} cascade`),
  }
}

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}
