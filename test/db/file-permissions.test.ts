import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'

const modeOf = (path: string) => statSync(path).mode & 0o777

describe('the SQLite files', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('are created readable by their owner only: 0700 folders, 0600 database, -wal and -shm', async () => {
    const root = mkdtempSync(join(tmpdir(), 'backtrack-perm-'))
    dirs.push(root)
    const path = join(root, 'data', 'nested', 'backtrack.db')
    const database = openDatabase({ engine: 'sqlite', path }, { walCheckpointer: false })
    try {
      await migrateToLatest(database.db, 'sqlite')
      expect(modeOf(join(root, 'data'))).toBe(0o700)
      expect(modeOf(join(root, 'data', 'nested'))).toBe(0o700)
      for (const file of [path, `${path}-wal`, `${path}-shm`]) {
        expect(modeOf(file), file).toBe(0o600)
      }
    } finally {
      await database.close()
    }
  })
})
