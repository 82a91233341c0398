import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { DatabaseConfig } from '../config.ts'
import { pathBesideDatabase } from '../db/path-beside-database.ts'
import type { ClickLine } from './click-line.ts'
import type { ClickStore } from './click-store.ts'

const REPLAY_BATCH = 1000

export interface UnwrittenClicksLog {
  error(object: object, message: string): void
  info?(object: object, message: string): void
}

/**
 * Where clicks not stored at shutdown are kept: beside the SQLite file, or in ./data for
 * PostgreSQL (BACKTRACK_UNWRITTEN_CLICKS sets another path; with several servers on one
 * PostgreSQL, each may have its own or share one, as replaying is idempotent).
 */
export function defaultUnwrittenClicksPath(database: DatabaseConfig): string {
  return pathBesideDatabase(database, 'unwritten-clicks.jsonl')
}

/**
 * Keeps clicks the database would not take at shutdown, one JSON line each (the queued line as
 * the writer holds it), appended so that several shutdowns add up. When the file cannot be
 * written either (the disk that filled up holds it too), each click goes to the log on a line of
 * its own, whence it can still be replayed by hand.
 */
export function spillClicks(path: string, lines: readonly ClickLine[], log: UnwrittenClicksLog) {
  if (lines.length === 0) return
  try {
    mkdirSync(dirname(path), { recursive: true })
    appendFileSync(path, `${lines.join('\n')}\n`)
    log.error(
      { clicks: lines.length, path },
      'clicks not written at shutdown kept for the next start',
    )
  } catch (error) {
    log.error(
      { err: error, clicks: lines.length, path },
      'clicks not written at shutdown, and the file to keep them could not be written: each follows as a log line',
    )
    for (const line of lines) log.error({ click: line }, 'click not written at shutdown')
  }
}

/**
 * Stores the clicks kept by an earlier shutdown and removes their file. The file is first
 * renamed to one of this process's own, so clicks another process appends meanwhile wait for the
 * next start instead of being removed unread; one left behind by a start that failed half way is
 * replayed too. Clicks stored already are skipped by the insert, so replaying twice is harmless.
 * A replay that fails leaves its file for the next start.
 */
export async function replayUnwrittenClicks(
  path: string,
  store: ClickStore,
  log: UnwrittenClicksLog,
): Promise<number> {
  const taken = `${path}.replaying-${process.pid}`
  try {
    renameSync(path, taken)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  let replayed = 0
  for (const file of leftovers(path)) {
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean)
    try {
      for (let i = 0; i < lines.length; i += REPLAY_BATCH) {
        await store.store(lines.slice(i, i + REPLAY_BATCH))
      }
    } catch (error) {
      log.error(
        { err: error, path: file },
        'could not replay the clicks kept at shutdown; kept for the next start',
      )
      continue
    }
    rmSync(file, { force: true })
    replayed += lines.length
  }
  if (replayed > 0) log.info?.({ clicks: replayed, path }, 'clicks kept at shutdown replayed')
  return replayed
}

function leftovers(path: string): string[] {
  const folder = dirname(path)
  const prefix = `${basename(path)}.replaying-`
  try {
    return readdirSync(folder)
      .filter((name) => name.startsWith(prefix))
      .map((name) => join(folder, name))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}
