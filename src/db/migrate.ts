import { type Kysely, sql } from 'kysely'
import { type Migration, Migrator } from 'kysely/migration'
import { ddlFor } from './ddl.ts'
import { MIGRATIONS } from './migrations/index.ts'
import type { Engine, Schema } from './schema.ts'

/**
 * Brings the schema up to date. Kysely's migrator records what ran and takes a lock, so several
 * processes starting at once against one PostgreSQL apply each migration exactly once.
 */
export async function migrateToLatest(db: Kysely<Schema>, engine: Engine): Promise<string[]> {
  const t = ddlFor(engine)
  const migrations: Record<string, Migration> = {}
  for (const migration of MIGRATIONS) {
    migrations[migration.name] = {
      async up(tx) {
        for (const statement of migration.statements(t)) await sql.raw(statement).execute(tx)
      },
    }
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'backtrack_migrations',
    migrationLockTableName: 'backtrack_migrations_lock',
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error
  return (results ?? []).map((result) => result.migrationName)
}
