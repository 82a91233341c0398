import type { Config } from '../config.ts'
import { StartupError } from '../shared/startup-error.ts'

/** `backtrack backup <file>`: an online copy of the SQLite database (see backup-database.ts). */
export async function backupCommand(config: Config, target: string | undefined): Promise<number> {
  if (target === undefined || target === '') {
    throw new StartupError('usage: backtrack backup <file>; see backtrack --help')
  }
  const { backupDatabase } = await import('../db/backup-database.ts')
  const started = performance.now()
  const copy = backupDatabase(config.database, target)
  const ms = Math.round(performance.now() - started)
  const mb = (copy.bytes / 1e6).toFixed(1)
  process.stdout.write(`backed up to ${copy.file} (${mb} MB in ${ms} ms)\n`)
  return 0
}
