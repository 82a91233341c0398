import { join } from 'node:path'
import type { DatabaseConfig } from '../config.ts'

/**
 * A file that belongs with the database: beside the SQLite file (`<file>.<name>`), or
 * `./data/<name>` for PostgreSQL (and an in-memory SQLite database), which has no file here.
 */
export function pathBesideDatabase(database: DatabaseConfig, name: string): string {
  if (database.engine === 'sqlite' && database.path !== ':memory:') {
    return `${database.path}.${name}`
  }
  return join('data', name)
}
