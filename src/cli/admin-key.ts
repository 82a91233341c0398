import type { Config } from '../config.ts'

/**
 * `backtrack admin-key rotate`: a new admin key replaces the stored ones. The key goes to stderr
 * alone on its line, so it can be captured (`2>key.txt`) without the words around it.
 */
export async function rotateAdminKeyCommand(config: Config): Promise<number> {
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
    const lines = [
      'new admin key (shown once, stored hashed; keep it safe); the previous one no longer works:',
      key,
    ]
    if (config.adminKey !== undefined) {
      lines.push('note: BACKTRACK_ADMIN_KEY is set and keeps working until it is changed or unset')
    }
    process.stderr.write(`${lines.join('\n')}\n`)
    return 0
  } finally {
    await database.close()
  }
}
