import type { Ddl } from '../ddl.ts'
import { catalogMigration } from './0001-catalog.ts'

/**
 * Forward-only migrations in order. Each returns the statements for one engine; a name, once
 * released, never changes and its statements are never edited — add a new migration instead.
 */
export const MIGRATIONS: ReadonlyArray<{ name: string; statements: (t: Ddl) => string[] }> = [
  { name: '0001-catalog', statements: catalogMigration },
]
