import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../db/database.ts'

export const SESSION_COOKIE = 'backtrack_session'

// Writing last_seen_at on every request would make each read a write; a minute is precise enough
// for an idle timeout counted in hours.
const TOUCH_EVERY_MS = 60_000

export interface SessionTimes {
  idleMs: number
  maxMs: number
}

function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex')
}

/**
 * The CSRF token of a session: derived from its id (with a label, so it is not the stored hash),
 * so it needs no storage and changes with every new session.
 */
export function csrfTokenFor(sessionId: string): string {
  return createHash('sha256').update(`csrf\0${sessionId}`).digest('base64url')
}

/** Starts a session with a fresh random id; only its hash is stored. */
export async function startSession(
  db: Db,
  userId: number,
  ip: string,
  times: SessionTimes,
): Promise<string> {
  const id = randomBytes(32).toString('base64url')
  const now = Date.now()
  // The user's ended sessions go as a new one starts, so the table holds little but live ones.
  await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where((eb) =>
      eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - times.idleMs)]),
    )
    .execute()
  await db
    .insertInto('sessions')
    .values({
      id_hash: hashId(id),
      user_id: userId,
      ip,
      created_at: now,
      last_seen_at: now,
      expires_at: now + times.maxMs,
    })
    .execute()
  return id
}

/** The user of a live session, refreshing its idle clock; undefined when it ended or timed out. */
export async function resolveSession(
  db: Db,
  id: string,
  times: SessionTimes,
): Promise<number | undefined> {
  const now = Date.now()
  const row = await db
    .selectFrom('sessions')
    .select(['user_id', 'last_seen_at', 'expires_at'])
    .where('id_hash', '=', hashId(id))
    .executeTakeFirst()
  if (!row) return undefined
  if (row.expires_at <= now || row.last_seen_at + times.idleMs <= now) {
    await endSession(db, id)
    return undefined
  }
  if (now - row.last_seen_at >= TOUCH_EVERY_MS) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now })
      .where('id_hash', '=', hashId(id))
      .execute()
  }
  return row.user_id
}

export async function endSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', hashId(id)).execute()
}

/** Ends every session of a user: on a password change, a reset, or when it is disabled. */
export async function endUserSessions(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute()
}

/** The session id from a Cookie header, if there is one. */
export function sessionIdFrom(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim()
      return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined
    }
  }
  return undefined
}

/** The Set-Cookie value for a session id; an empty id clears the cookie. */
export function sessionCookie(id: string, options: { secure: boolean; maxMs: number }): string {
  const parts = [
    `${SESSION_COOKIE}=${id}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${id === '' ? 0 : Math.floor(options.maxMs / 1000)}`,
  ]
  if (options.secure) parts.push('Secure')
  return parts.join('; ')
}
