import { accessSync, constants, mkdirSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { StartupError } from '../shared/startup-error.ts'

const FIX = 'set BACKTRACK_DB or --db to a writable path'

/**
 * Makes sure a SQLite file can be created and written at `path` before it is opened: SQLite's own
 * error ("unable to open database file") names neither the path nor the reason. SQLite writes
 * `-wal` and `-shm` files beside the database, so its directory must be writable too.
 */
export function checkSqlitePath(path: string): void {
  if (path === ':memory:') return
  const file = resolve(path)
  const dir = dirname(file)
  try {
    mkdirSync(dir, { recursive: true })
  } catch (error) {
    throw new StartupError(
      `cannot create the directory of the SQLite database ${file}: ${reason(error, dir)}; ${FIX}`,
    )
  }
  try {
    accessSync(dir, constants.W_OK)
  } catch (error) {
    throw new StartupError(`cannot write the SQLite database in ${dir}: ${reason(error)}; ${FIX}`)
  }
  const existing = statSync(file, { throwIfNoEntry: false })
  if (existing?.isDirectory()) {
    throw new StartupError(`the SQLite database ${file} is a directory, not a file; ${FIX}`)
  }
  if (existing) {
    try {
      accessSync(file, constants.R_OK | constants.W_OK)
    } catch (error) {
      throw new StartupError(`cannot write the SQLite database ${file}: ${reason(error)}; ${FIX}`)
    }
  }
}

function reason(error: unknown, dir?: string): string {
  const { code } = error as { code?: string }
  switch (code) {
    case 'ENOTDIR':
      return `${(dir && fileAbove(dir)) ?? 'a parent'} is a file, not a directory`
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EROFS':
      return 'read-only file system'
    default:
      return error instanceof Error ? error.message : String(error)
  }
}

// mkdir names the directory it could not make, not the file standing in its way.
function fileAbove(dir: string): string | undefined {
  for (let at = dir; at !== dirname(at); at = dirname(at)) {
    const found = statSync(at, { throwIfNoEntry: false })
    if (found) return found.isDirectory() ? undefined : at
  }
  return undefined
}
