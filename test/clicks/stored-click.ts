import { expect } from 'vitest'
import { type ClickRecord, findClick } from '../../src/clicks/index.ts'
import type { TestServer } from '../helpers/test-server.ts'
import { waitFor } from '../helpers/wait-for.ts'

/** The click id a tracking-link redirect put in its Location (`cid=` in the test offers). */
export function clickIdOf(location: string | null): string {
  const clickId = new URL(location ?? 'http://x/').searchParams.get('cid')
  expect(clickId).toMatch(/^[A-Za-z0-9_-]{20,40}$/)
  return clickId!
}

/** Waits for the group-commit writer to store a click, and returns the stored row. */
export async function storedClick(t: TestServer, clickId: string): Promise<ClickRecord> {
  return waitFor(() => findClick(t.server.database.db, clickId), {
    intervalMs: 20,
    message: `click ${clickId} to be stored`,
  })
}

/** Follows nothing: the raw answer of a tracking link. */
export function visit(t: TestServer, path: string, headers: Record<string, string> = {}) {
  return fetch(t.url + path, { redirect: 'manual', headers })
}
