import type { Config } from '../config.ts'
import { StartupError } from '../shared/startup-error.ts'

/**
 * `backtrack admin-key rotate`: a new admin key replaces the stored ones. The key goes to stderr
 * alone on its line, so it can be captured (`2>key.txt`) without the words around it.
 */
export async function rotateAdminKeyCommand(config: Config): Promise<number> {
  // A configured key replaces the stored one (the next start deletes it), so a rotation would
  // make a key that works only until then: the configured key is rotated where it is set.
  if (config.adminKey !== undefined) {
    throw new StartupError(
      'BACKTRACK_ADMIN_KEY is set, so it is the admin key: rotate it by changing that variable',
    )
  }
  const { connectDatabase } = await import('../db/connect-database.ts')
  const { migrateToLatest } = await import('../db/migrate.ts')
  const { rotateAdminKey } = await import('../access/index.ts')
  const database = await connectDatabase(config.database, {
    waitMs: config.databaseWaitMs,
    onWait: (line) => process.stderr.write(`${line}\n`),
  })
  try {
    // A rotation may be the first thing done to a database: it then makes the first admin key.
    await migrateToLatest(database.db, database.engine)
    const key = await rotateAdminKey(database.db)
    process.stderr.write(
      `new admin key (shown once, stored hashed; keep it safe); the previous one no longer works:\n${key}\n`,
    )
    return 0
  } finally {
    await database.close()
  }
}
