import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { expect, it } from 'vitest'

const SRC = join(import.meta.dirname, '../../src')

// What only db/ may know: which engine it opened, and the drivers and raw queries under kysely.
// Rooms use the kysely handle and the named operations of `Storage`.
const DB_ONLY = [
  /\bengineOf\b/,
  /\bPostgresAdapter\b/,
  /\bDatabaseSync\b/,
  /\bCompiledQuery\b/,
  /\bsqliteConnectionOf\b/,
  /\bengine\s*[!=]==/,
  /from '(node:sqlite|pg)'/,
]

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

it('keeps engine checks, drivers and raw queries inside src/db', () => {
  const files = sourceFiles(SRC).filter((file) => !relative(SRC, file).startsWith('db/'))
  expect(files.length).toBeGreaterThan(50)
  const found = files.flatMap((file) => {
    const text = readFileSync(file, 'utf8')
    return DB_ONLY.filter((pattern) => pattern.test(text)).map(
      (pattern) => `${relative(SRC, file)}: ${pattern}`,
    )
  })
  expect(found).toEqual([])
})
