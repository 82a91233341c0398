import { type Kysely, sql } from 'kysely'
import { ddlFor } from './ddl.ts'
import { MIGRATIONS } from './migrations/index.ts'
import type { Engine, Schema } from './schema.ts'

// Any constant works; it only has to be the same in every Backtrack process.
const MIGRATION_LOCK = 4_242_001

/**
 * Brings the schema up to date in one transaction that first takes a lock — PostgreSQL's
 * transaction advisory lock, SQLite's write lock (our transactions `begin immediate`) — so
 * processes starting together apply each migration exactly once. We keep this small loop rather
 * than kysely's Migrator, whose introspection reads every schema of the database and fails when
 * another one is dropped meanwhile (a finished test's, a neighbour install's).
 */
export async function migrateToLatest(db: Kysely<Schema>, engine: Engine): Promise<string[]> {
  const t = ddlFor(engine)
  return db.transaction().execute(async (tx) => {
    if (engine === 'postgres')
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(tx)
    // Same shape as kysely's migration table, which databases made by earlier versions have.
    await sql`create table if not exists backtrack_migrations (name varchar(255) primary key, timestamp varchar(255) not null)`.execute(
      tx,
    )
    const done = await sql<{ name: string }>`select name from backtrack_migrations`.execute(tx)
    const applied = new Set(done.rows.map((row) => row.name))
    const pending = MIGRATIONS.filter((migration) => !applied.has(migration.name))
    for (const migration of pending) {
      for (const statement of migration.statements(t)) await sql.raw(statement).execute(tx)
      await sql`insert into backtrack_migrations (name, timestamp) values (${migration.name}, ${new Date().toISOString()})`.execute(
        tx,
      )
    }
    return pending.map((migration) => migration.name)
  })
}
